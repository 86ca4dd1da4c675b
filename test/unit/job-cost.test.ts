// The cost of a finished run (tree detail, status-bar tooltip), the numbers Compare Runs shows beside the requests,
// and a local run's container samples turned into the job page's series. Expectations are worked out by hand.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { runCost, runCostFacts, runCostRow, runCostText, runNumbers } from '../../src/core/jobPage/cost';
import type { PriceLookup } from '../../src/core/jobPage/pricing';
import type { ProcessingJobDescriptionLike } from '../../src/core/jobDetails';
import type { MetricSeries } from '../../src/core/jobPage/model';
import { comparisonText } from '../../src/core/compare';
import { addSamples, parseStats, percent } from '../../src/local/containerStats';

const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);
const found: PriceLookup = { kind: 'found', price: { usdPerHour: 0.23, region: 'us-east-1', instanceType: 'ml.m5.xlarge', effectiveDate: '2026-11-01T00:00:00Z', vcpus: 4 } };

function job(over: Partial<ProcessingJobDescriptionLike> = {}): ProcessingJobDescriptionLike {
  return {
    ProcessingJobName: 'census-1',
    ProcessingJobStatus: 'Completed',
    ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 2 } },
    CreationTime: new Date(T0),
    ProcessingStartTime: new Date(T0 + 60_000),
    ProcessingEndTime: new Date(T0 + 60_000 + 1_800_000), // 30 min
    ...over,
  };
}

describe('the cost of a finished run', () => {
  it('30 min on 2 × ml.m5.xlarge at $0.23/h is 1 instance-hour, $0.2300', () => {
    const f = runCostFacts(job())!;
    assert.deepEqual(f, { instanceType: 'ml.m5.xlarge', instanceCount: 2, seconds: 1800 });
    const text = runCostText(runCost(f, found), false);
    assert.ok(text.startsWith('$0.2300 (1 instance-hours × $0.2300/h on demand, price of 2026-11-01)'), text);
    const row = runCostRow(runCost(f, found), false);
    assert.equal(row.label, 'Cost');
    assert.equal(row.value, text);
  });

  it('no price: the instance-hours with the reason, or "looking up" while it is asked — never a dollar figure', () => {
    const f = runCostFacts(job())!;
    const denied = runCostText(runCost(f, { kind: 'unavailable', reason: 'Access denied.' }), false);
    assert.equal(denied, '1 instance-hours — Access denied.');
    assert.doesNotMatch(denied, /\$/);
    assert.equal(runCostText(runCost(f, undefined), true), '1 instance-hours (looking up the price…)');
    assert.match(runCostText(runCost(f, { kind: 'notFound' }), false), /^1 instance-hours — The AWS Price List has no/);
  });

  it('a running job, or one that never started, has no cost line', () => {
    assert.equal(runCostFacts(job({ ProcessingJobStatus: 'InProgress', ProcessingEndTime: undefined })), undefined);
    assert.equal(runCostFacts(job({ ProcessingJobStatus: 'Failed', ProcessingStartTime: undefined, ProcessingEndTime: undefined })), undefined);
  });
});

describe('Compare Runs: the numbers beside the request', () => {
  const series: MetricSeries[] = [
    { host: 'census-1/algo-1', metric: 'CPUUtilization', timestamps: [1, 2, 3], values: [50, 180, 90] },
    { host: 'census-1/algo-2', metric: 'CPUUtilization', timestamps: [1, 2, 3], values: [210, 20, 30] },
    { host: 'census-1/algo-1', metric: 'MemoryUtilization', timestamps: [1, 2, 3], values: [40, 41, 42] },
    { host: 'census-1/algo-2', metric: 'MemoryUtilization', timestamps: [1, 2, 3], values: [70, 88, 60] },
  ];

  it('duration, cost, and the busiest host\'s peak CPU and memory', () => {
    const n = runNumbers(job(), { metrics: series, price: found, showCost: true, now: T0 + 10_000_000 });
    assert.equal(n.status, 'Completed');
    assert.equal(n.duration, '30 min 0 s');
    assert.match(n.cost, /^\$0\.2300 /);
    assert.equal(n.peakCpu, '210 % (algo-2)');
    assert.equal(n.peakMemory, '88 % (algo-2)');
  });

  it('cost hidden by the setting: no cost; metrics unreadable: the reason instead of a figure', () => {
    const n = runNumbers(job(), { metricsError: 'Could not read the instance metrics: denied', price: found, showCost: false, now: T0 });
    assert.equal('cost' in n, false);
    assert.equal(n.peakCpu, 'Could not read the instance metrics: denied');
    assert.equal(runNumbers(job(), { metrics: [], showCost: false, now: T0 }).peakMemory, 'no samples');
  });

  it('the numbers come first, under "run", and the request keys stay as they were', () => {
    const plain = JSON.parse(comparisonText(job()));
    const withRun = JSON.parse(comparisonText(job(), { run: { duration: '30 min 0 s' } }));
    assert.equal(Object.keys(withRun)[0], 'run');
    const { run, ...rest } = withRun;
    assert.deepEqual(run, { duration: '30 min 0 s' });
    assert.deepEqual(rest, plain);
  });
});

describe('a local run\'s container samples', () => {
  const containers = ['smp-ab12-algo-1', 'smp-ab12-algo-2'];
  const stdout = [
    JSON.stringify({ Name: 'smp-ab12-algo-2', CPUPerc: '101.50%', MemPerc: '12.25%' }),
    'not json',
    JSON.stringify({ Name: 'someone-else', CPUPerc: '5%', MemPerc: '1%' }),
    JSON.stringify({ Name: 'smp-ab12-algo-1', CPUPerc: '0.00%', MemPerc: '--' }),
  ].join('\n');
  // What `docker stats --no-stream` printed here for a container that had exited and one running `sleep`.
  const exited = JSON.stringify({ BlockIO: '0B / 0B', CPUPerc: '0.00%', Container: 'x1', ID: '937d52192183', MemPerc: '0.00%', MemUsage: '0B / 0B', Name: 'smp-ab12-algo-1', NetIO: '0B / 0B', PIDs: '0' });
  const sleeping = JSON.stringify({ BlockIO: '0B / 0B', CPUPerc: '0.00%', Container: 'x2', ID: '4aa799dae14f', MemPerc: '0.00%', MemUsage: '728KiB / 23.54GiB', Name: 'smp-ab12-algo-2', NetIO: '0B / 0B', PIDs: '1' });

  it('docker stats lines become per-instance samples (others and bad lines skipped)', () => {
    assert.equal(percent('12.5%'), 12.5);
    assert.equal(percent('--'), undefined);
    const at = new Date(T0);
    assert.deepEqual(parseStats(stdout, containers, at, 40), [
      { instance: 1, at, cpu: 101.5, memory: 12.25, disk: 40 },
      { instance: 0, at, cpu: 0, memory: undefined, disk: 40 },
    ]);
  });

  it('an exited container (no process) gives no sample: its zeros are not a reading; a running idle one does', () => {
    const at = new Date(T0);
    assert.deepEqual(parseStats(`${exited}\n${sleeping}`, containers, at, 40), [{ instance: 1, at, cpu: 0, memory: 0, disk: 40 }]);
  });

  it('samples add to one series per host and metric, the newest `cap` kept', () => {
    const series: MetricSeries[] = [];
    for (let i = 0; i < 5; i++) addSamples(series, 'job', [{ instance: 0, at: new Date(T0 + i * 1000), cpu: i * 10, disk: 50 }], 3);
    const cpu = series.find((s) => s.metric === 'CPUUtilization')!;
    assert.equal(cpu.host, 'job/algo-1');
    assert.deepEqual(cpu.values, [20, 30, 40]);
    assert.deepEqual(cpu.timestamps, [T0 + 2000, T0 + 3000, T0 + 4000]);
    assert.equal(series.some((s) => s.metric === 'MemoryUtilization'), false);
    assert.equal(series.find((s) => s.metric === 'DiskUtilization')!.values.length, 3);
  });
});
