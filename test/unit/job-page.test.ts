// The job page's model (src/core/jobPage): timeline, billed time, cost from an on-demand price, right-sizing hints,
// and the Price List answer read into a price. Expectations are worked out by hand in the comments.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { billedSeconds, buildJobPage, costLine, formatUsd, hostDimension, jobPageText, rightSizingHints, type MetricSeries } from '../../src/core/jobPage/model';
import { parseProcessingPrice, processingPriceFilters, type PriceLookup } from '../../src/core/jobPage/pricing';
import type { ProcessingJobDescriptionLike } from '../../src/core/jobDetails';

const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);
const DIGEST = `sha256:${'b'.repeat(64)}`;

function job(over: Partial<ProcessingJobDescriptionLike> = {}): ProcessingJobDescriptionLike {
  return {
    ProcessingJobName: 'census-1',
    ProcessingJobStatus: 'Completed',
    AppSpecification: { ImageUri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/census@${DIGEST}` },
    ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 2, VolumeSizeInGB: 30 } },
    CreationTime: new Date(T0),
    ProcessingStartTime: new Date(T0 + 90_000), // 1 min 30 s queued
    ProcessingEndTime: new Date(T0 + 90_000 + 600_000), // 10 min processing
    ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', S3Output: { S3Uri: 's3://b/census-1/output/train', LocalPath: '/opt/ml/processing/train' } }] },
    ...over,
  };
}

/** A Price List entry in the documented GetProducts shape (PriceList: JSON documents as strings). */
function priceEntry(o: { type?: string; component?: string; usd?: string; unit?: string; date?: string; vcpu?: string; memory?: string } = {}): string {
  return JSON.stringify({
    product: { productFamily: 'ML Instance', attributes: { regionCode: 'us-east-1', instanceName: o.type ?? 'ml.m5.xlarge', component: o.component ?? 'Processing', vCpu: o.vcpu ?? '4', memory: o.memory ?? '16 GiB' }, sku: 'SKU1' },
    serviceCode: 'AmazonSageMaker',
    terms: { OnDemand: { 'SKU1.JRTCKXETXF': { effectiveDate: o.date ?? '2026-11-01T00:00:00Z', priceDimensions: { 'SKU1.JRTCKXETXF.6YS6EN2CT7': { unit: o.unit ?? 'Hrs', pricePerUnit: { USD: o.usd ?? '0.2300000000' } } } } } },
  });
}

const found = (usd: number, vcpus?: number): PriceLookup => ({ kind: 'found', price: { usdPerHour: usd, region: 'us-east-1', instanceType: 'ml.m5.xlarge', effectiveDate: '2026-11-01T00:00:00Z', vcpus } });

const series = (host: string, metric: MetricSeries['metric'], values: number[]): MetricSeries => ({ host, metric, values, timestamps: values.map((_v, i) => T0 + i * 5000) });

describe('job page model', () => {
  it('timeline: queued from creation to start, processing from start to end', () => {
    const m = buildJobPage({ description: job(), now: T0 + 3_600_000 });
    assert.deepEqual(m.timeline.map((p) => [p.phase, p.start, p.end, p.open, p.duration]), [
      ['queued', T0, T0 + 90_000, false, '1 min 30 s'],
      ['running', T0 + 90_000, T0 + 690_000, false, '10 min 0 s'],
    ]);
    assert.equal(m.digest, DIGEST);
    assert.equal(m.instanceCount, 2);
    assert.deepEqual(m.outputs, [{ name: 'train', uri: 's3://b/census-1/output/train' }]);
  });

  it('a running job: the open phase ends now and billing counts to now', () => {
    const m = buildJobPage({ description: job({ ProcessingJobStatus: 'InProgress', ProcessingEndTime: undefined }), now: T0 + 90_000 + 61_500 });
    assert.equal(m.running, true);
    assert.deepEqual(m.timeline.map((p) => [p.phase, p.open]), [['queued', false], ['running', true]]);
    assert.equal(m.billedSeconds, 62); // 61.5 s rounded up to whole seconds
  });

  it('a job still starting has no billed time and says so', () => {
    const m = buildJobPage({ description: job({ ProcessingJobStatus: 'InProgress', ProcessingStartTime: undefined, ProcessingEndTime: undefined }), now: T0 + 30_000 });
    assert.deepEqual(m.timeline.map((p) => [p.phase, p.end, p.open]), [['queued', T0 + 30_000, true]]);
    assert.equal(m.billedSeconds, undefined);
    assert.equal(m.cost.kind, 'none');
  });

  it('cost: 600 s × 2 instances × $0.23/h = 1/3 h × 0.23 = $0.0767', () => {
    const m = buildJobPage({ description: job(), price: found(0.23), now: 0 });
    assert.equal(m.billedSeconds, 600);
    assert.equal(m.instanceHours, 1 / 3);
    assert.equal(m.cost.kind, 'price');
    assert.ok(m.cost.kind === 'price' && Math.abs(m.cost.usd - 0.0766667) < 1e-6);
    assert.match(m.cost.text, /^\$0\.0767 \(0\.3333 instance-hours × \$0\.2300\/h on demand, price of 2026-11-01\)$/);
  });

  it('no price: instance-hours alone with the reason, never a figure in dollars', () => {
    const notFound = costLine(7200, 3, { kind: 'notFound' });
    assert.deepEqual(notFound, { kind: 'hoursOnly', text: '6 instance-hours', reason: 'The AWS Price List has no on-demand Processing price for this instance type in this region.' });
    const denied = costLine(7200, 3, { kind: 'unavailable', reason: 'Access denied: pricing:GetProducts' });
    assert.equal(denied.kind === 'hoursOnly' && denied.reason, 'Access denied: pricing:GetProducts');
    assert.doesNotMatch(denied.text, /\$/);
  });

  it('billed seconds round up and refuse an end before the start', () => {
    assert.equal(billedSeconds(1000, 2001), 2);
    assert.equal(billedSeconds(1000, 2000), 1);
    assert.equal(billedSeconds(2000, 1000), undefined);
    assert.equal(formatUsd(12.345), '$12.35');
    assert.equal(formatUsd(0.00012), '$0.0001');
    assert.equal(hostDimension('census-1', 2), 'census-1/algo-2');
  });

  it('hints: memory above 90 % asks for a larger instance (on the hosts that peaked)', () => {
    const metrics = [
      series('census-1/algo-1', 'MemoryUtilization', [40, 95.4, 60]),
      series('census-1/algo-2', 'MemoryUtilization', [40, 50, 60]),
      series('census-1/algo-1', 'CPUUtilization', [10, 10, 10]),
    ];
    const m = buildJobPage({ description: job(), metrics, price: found(0.23, 4), now: 0 });
    assert.deepEqual(m.hints.map((h) => h.kind), ['larger']);
    assert.match(m.hints[0].text, /95 % on census-1\/algo-1:/);
    assert.doesNotMatch(m.hints[0].text, /algo-2/);
  });

  it('hints: CPU mean below 20 % of all vCPUs asks for a smaller one (70 % of 4 vCPUs = 17.5 %)', () => {
    // algo-1 mean (60+80+70)/3 = 70 % of one core → 17.5 % of 4 vCPUs; algo-2 mean 40 → 10 %.
    const low = [series('j/algo-1', 'CPUUtilization', [60, 80, 70]), series('j/algo-2', 'CPUUtilization', [40, 40, 40])];
    const hosts = buildJobPage({ description: job(), metrics: low, now: 0 }).hosts;
    assert.deepEqual(hosts.map((h) => [h.host, h.cpuMean, h.cpuPeak]), [['j/algo-1', 70, 80], ['j/algo-2', 40, 40]]);
    const hints = rightSizingHints(hosts, { usdPerHour: 0.23, region: 'us-east-1', instanceType: 'ml.m5.xlarge', vcpus: 4 });
    assert.deepEqual(hints.map((h) => h.kind), ['smaller']);
    assert.match(hints[0].text, /averaged 18 % of the 4 vCPUs/);
    // 100 % of one core on 4 vCPUs is 25 %: no hint. Without the vCPU count: no guess.
    assert.deepEqual(rightSizingHints([{ host: 'j/algo-1', cpuMean: 100, samples: 5 }], { usdPerHour: 1, region: 'r', instanceType: 'x', vcpus: 4 }), []);
    assert.deepEqual(rightSizingHints(hosts, undefined), []);
    // Too few samples say nothing.
    assert.deepEqual(rightSizingHints([{ host: 'j/algo-1', cpuMean: 1, memoryPeak: 99, samples: 2 }], { usdPerHour: 1, region: 'r', instanceType: 'x', vcpus: 4 }), []);
  });

  it('text: the same facts the page shows, cost hidden on request', () => {
    const m = buildJobPage({ description: job({ ProcessingJobStatus: 'Failed', FailureReason: 'AlgorithmError: boom' }), price: found(0.23), now: 0 });
    const text = jobPageText(m).join('\n');
    assert.match(text, /^census-1 {2}Failed$/m);
    assert.match(text, /Instances: ml\.m5\.xlarge × 2/);
    assert.match(text, /Cost: \$0\.0767/);
    assert.match(text, /Failure reason: AlgorithmError: boom/);
    assert.doesNotMatch(jobPageText(m, { showCost: false }).join('\n'), /Cost|\$/);
  });
});

describe('Price List answer → hourly price', () => {
  it('filters by region, instance name and the Processing component', () => {
    assert.deepEqual(processingPriceFilters('eu-west-1', 'ml.c5.2xlarge'), [
      { Field: 'regionCode', Value: 'eu-west-1' }, { Field: 'instanceName', Value: 'ml.c5.2xlarge' }, { Field: 'component', Value: 'Processing' },
    ]);
  });

  it('reads the on-demand USD per hour, its effective date, vCPUs and memory', () => {
    assert.deepEqual(parseProcessingPrice([priceEntry()], 'us-east-1', 'ml.m5.xlarge'), {
      usdPerHour: 0.23, effectiveDate: '2026-11-01T00:00:00Z', region: 'us-east-1', instanceType: 'ml.m5.xlarge', vcpus: 4, memoryGiB: 16,
    });
  });

  it('ignores other types, other components, non-hourly or zero prices and garbage', () => {
    const list = ['{not json', priceEntry({ type: 'ml.m5.large', usd: '0.115' }), priceEntry({ component: 'Training', usd: '0.9' }), priceEntry({ unit: 'GB-Mo', usd: '0.14' }), priceEntry({ usd: '0.0000000000' })];
    assert.equal(parseProcessingPrice(list, 'us-east-1', 'ml.m5.xlarge'), undefined);
    assert.equal(parseProcessingPrice([...list, priceEntry({ usd: '0.2400000000' })], 'us-east-1', 'ml.m5.xlarge')?.usdPerHour, 0.24);
  });
});
