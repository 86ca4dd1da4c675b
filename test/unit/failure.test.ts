// "Why did it fail?" (core/failure): the last traceback in real-looking logs (Python, chained, SystemExit,
// KeyboardInterrupt, PySpark's Py4JJavaError, a Java/Spark driver), the status reason's kind, container paths mapped to
// workspace files, and the summary. Every expectation below is read off the log text by hand.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { exceptionLine, lastJavaTrace, lastPythonTraceback, lastTraceback, raisingFrame } from '../../src/core/failure/traceback';
import { classifyFailure, exitCodeFrom } from '../../src/core/failure/classify';
import { baseJobName, candidatesFor, containerToLocal, mapWithCandidates } from '../../src/core/failure/paths';
import { buildFailureSummary, cloudJobSummary, readFailureLogs, summaryHeadline, summaryJson, summaryLines } from '../../src/core/failure/summary';
import { debugPathMappings } from '../../src/core/local/debug';
import type { ContainerSpec } from '../../src/core/definition/containerSpec';
import type { LogsApiPort } from '../../src/core/logs/types';

const CODE = '/opt/ml/processing/input/code';

const SIMPLE = `Reading input data from /opt/ml/processing/input/data/census-income.csv
Traceback (most recent call last):
  File "/opt/ml/processing/input/code/preprocessing.py", line 71, in <module>
    df = pd.read_csv(input_data_path)
  File "/usr/local/lib/python3.10/site-packages/pandas/io/parsers/readers.py", line 912, in read_csv
    return _read(filepath_or_buffer, kwds)
  File "/usr/local/lib/python3.10/site-packages/pandas/io/parsers/readers.py", line 577, in _read
    parser = TextFileReader(filepath_or_buffer, **kwds)
FileNotFoundError: [Errno 2] No such file or directory: '/opt/ml/processing/input/data/census-income.csv'`.split('\n');

const CHAINED = `Traceback (most recent call last):
  File "/opt/ml/processing/input/code/util/io.py", line 12, in load
    return json.loads(text)
  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads
    return _default_decoder.decode(s)
json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/opt/ml/processing/input/code/util/io.py", line 14, in load
    raise KeyError(name)
KeyError: 'config'

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/opt/ml/processing/input/code/main.py", line 30, in <module>
    cfg = load("config")
          ^^^^^^^^^^^^^^
  File "/opt/ml/processing/input/code/util/io.py", line 16, in load
    raise RuntimeError("cannot load config") from e
RuntimeError: cannot load config`.split('\n');

const PY4J = `24/12/07 19:40:01 INFO SparkContext: Running Spark version 3.3.0
Traceback (most recent call last):
  File "/opt/ml/processing/input/code/spark_job.py", line 44, in <module>
    df.write.parquet(out)
  File "/usr/spark-3.3.0/python/lib/pyspark.zip/pyspark/sql/readwriter.py", line 1140, in parquet
  File "/usr/spark-3.3.0/python/lib/py4j-0.10.9.5-src.zip/py4j/protocol.py", line 326, in get_return_value
py4j.protocol.Py4JJavaError: An error occurred while calling o61.parquet.
: org.apache.spark.SparkException: Job aborted.
\tat org.apache.spark.sql.errors.QueryExecutionErrors$.jobAbortedError(QueryExecutionErrors.scala:638)
\tat org.apache.spark.sql.execution.datasources.FileFormatWriter$.write(FileFormatWriter.scala:278)
Caused by: java.io.FileNotFoundException: /opt/ml/processing/output/x (Permission denied)
\tat java.io.FileOutputStream.open0(Native Method)
\tat java.io.FileOutputStream.open(FileOutputStream.java:270)
\t... 12 more`.split('\n');

const JAVA = `Exception in thread "main" org.apache.spark.SparkException: Job aborted due to stage failure: Task 0 in stage 1.0 failed 4 times
\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2672)
\tat org.apache.spark.scheduler.DAGScheduler.$anonfun$abortStage$2(DAGScheduler.scala:2608)
Caused by: java.lang.ArithmeticException: / by zero
\tat com.example.etl.Transform.ratio(Transform.java:57)
\tat com.example.etl.Transform.apply(Transform.java:31)
\t... 3 more
24/12/07 19:41:00 INFO ShutdownHookManager: Shutdown hook called`.split('\n');

describe('traceback parser', () => {
  it('finds the last Python traceback: frames innermost last, the exception and its message', () => {
    const tb = lastPythonTraceback(SIMPLE)!;
    assert.equal(tb.type, 'FileNotFoundError');
    assert.equal(tb.message, "[Errno 2] No such file or directory: '/opt/ml/processing/input/data/census-income.csv'");
    assert.deepEqual(tb.frames.map((f) => [f.file.split('/').pop(), f.line, f.name]), [['preprocessing.py', 71, '<module>'], ['readers.py', 912, 'read_csv'], ['readers.py', 577, '_read']]);
    assert.equal(tb.frames[0].code, 'df = pd.read_csv(input_data_path)');
    assert.equal(tb.chain.length, 0);
    assert.equal(tb.startLine, 1);
  });

  it('keeps a chained traceback: the last exception with the earlier ones and how they are linked', () => {
    const tb = lastPythonTraceback(CHAINED)!;
    assert.equal(exceptionLine(tb), 'RuntimeError: cannot load config');
    assert.deepEqual(tb.frames.map((f) => `${f.file.slice(CODE.length + 1)}:${f.line}`), ['main.py:30', 'util/io.py:16']);
    assert.equal(tb.frames[0].code, 'cfg = load("config")'); // the carets line is not code
    assert.deepEqual(tb.chain.map((c) => [c.type, c.link]), [['json.decoder.JSONDecodeError', 'context'], ['KeyError', 'cause']]);
    assert.equal(tb.chain[1].message, "'config'");
    assert.equal(tb.startLine, 0);
  });

  it('takes the later of two unrelated tracebacks', () => {
    const tb = lastPythonTraceback([...SIMPLE, 'retrying…', ...CHAINED.slice(-7)])!;
    assert.equal(tb.type, 'RuntimeError');
    assert.equal(tb.chain.length, 0); // the separator before it was cut: no chain
  });

  it('skips a stdout line that CloudWatch put inside the traceback (seen in CI: the line printed before the raise)', () => {
    // The order a CI run's CloudWatch log had: stdout's "starting boom" between the stderr traceback's lines.
    const TB = ['Traceback (most recent call last):', '  File "/opt/ml/processing/input/code/boom.py", line 11, in <module>', '    ratio(float(sys.argv[1]) if len(sys.argv) > 1 else 2.0)', '  File "/opt/ml/processing/input/code/boom.py", line 6, in ratio'];
    const END = ['    raise ValueError("bad ratio: %s" % value)', 'ValueError: bad ratio: 2.0'];
    for (const at of [1, 2, 3, 4, 5]) {
      const lines = [...TB, ...END];
      lines.splice(at, 0, 'starting boom');
      const tb = lastPythonTraceback(lines)!;
      assert.equal(exceptionLine(tb), 'ValueError: bad ratio: 2.0', `stdout line at ${at}`);
      assert.deepEqual(tb.frames.map((f) => [f.line, f.code]), [[11, 'ratio(float(sys.argv[1]) if len(sys.argv) > 1 else 2.0)'], [6, 'raise ValueError("bad ratio: %s" % value)']], `stdout line at ${at}`);
    }
  });

  it('reads SystemExit and KeyboardInterrupt as exceptions', () => {
    const exit = lastPythonTraceback(['Traceback (most recent call last):', '  File "/opt/ml/processing/input/code/run.py", line 9, in <module>', '    raise SystemExit("bad arguments")', 'SystemExit: bad arguments'])!;
    assert.equal(exceptionLine(exit), 'SystemExit: bad arguments');
    const kb = lastPythonTraceback(['Traceback (most recent call last):', '  File "/opt/ml/processing/input/code/run.py", line 3, in <module>', '    time.sleep(100)', 'KeyboardInterrupt'])!;
    assert.equal(exceptionLine(kb), 'KeyboardInterrupt');
    assert.equal(raisingFrame(kb)!.line, 3);
  });

  it('reads PySpark\'s Py4JJavaError with the Java trace in its message', () => {
    const tb = lastTraceback(PY4J)!;
    assert.equal(tb.kind, 'python');
    if (tb.kind !== 'python') return;
    assert.equal(tb.type, 'py4j.protocol.Py4JJavaError');
    assert.equal(tb.message.split('\n')[0], 'An error occurred while calling o61.parquet.');
    assert.equal(raisingFrame(tb)!.file.endsWith('protocol.py'), true);
    assert.equal(tb.java?.type, 'org.apache.spark.SparkException');
    assert.equal(tb.java?.causes[0].type, 'java.io.FileNotFoundException');
    assert.deepEqual(tb.java?.causes[0].frames.map((f) => [f.file, f.line]), [['Native Method', undefined], ['FileOutputStream.java', 270]]);
  });

  it('reads a Java/Spark driver trace: header, frames, Caused by (the root cause raises)', () => {
    const tb = lastJavaTrace(JAVA)!;
    assert.equal(tb.type, 'org.apache.spark.SparkException');
    assert.equal(tb.frames.length, 2);
    assert.deepEqual(tb.frames[0], { file: 'DAGScheduler.scala', line: 2672, name: 'org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages' });
    assert.equal(tb.causes.length, 1);
    assert.equal(exceptionLine(tb), 'java.lang.ArithmeticException: / by zero');
    assert.deepEqual(raisingFrame(tb), { file: 'Transform.java', line: 57, name: 'com.example.etl.Transform.ratio' });
    assert.equal(lastTraceback(JAVA)?.kind, 'java');
  });

  it('finds nothing in a log without a traceback', () => {
    assert.equal(lastTraceback(['starting', 'Killed', '']), undefined);
    assert.equal(lastTraceback([]), undefined);
  });
});

describe('status reason classifier', () => {
  const c = (failureReason: string, status = 'Failed', exitCode?: number) => classifyFailure({ status, failureReason, exitCode });
  it('tells AlgorithmError kinds apart by the exit code', () => {
    assert.deepEqual([c('AlgorithmError: See job logs for more information').kind, c('AlgorithmError: See job logs for more information').category], ['algorithm', 'AlgorithmError']);
    assert.equal(c('AlgorithmError: , exit code: 1').exitCode, 1);
    assert.equal(c('AlgorithmError: , exit code: 1').kind, 'exit');
    assert.equal(c('AlgorithmError: Container was killed (exit code 137, SIGKILL). See job logs for more information').kind, 'oom');
    assert.equal(c('AlgorithmError: the script exited with code 143').kind, 'killed');
    // A script's own text quoting AccessDenied is still the script's failure.
    assert.equal(c('AlgorithmError: botocore AccessDenied when calling GetObject, exit code: 1').kind, 'exit');
  });
  it('tells ClientError kinds apart', () => {
    assert.equal(c('ClientError: Requested image 123456789012.dkr.ecr.us-east-1.amazonaws.com/census:missing not found.').kind, 'imagePull');
    assert.equal(c('CannotPullContainerError: pull access denied for census').kind, 'imagePull');
    assert.equal(c('ClientError: No S3 objects found under S3 URL "s3://b/in" given in input data source. Please ensure that the bucket exists in the selected region (us-east-1), that objects exist under that S3 prefix, and that the role "arn:aws:iam::1:role/r" has "s3:ListBucket" permissions on bucket "b".').kind, 's3Input');
    assert.equal(c('ClientError: Failed to upload to s3://b/out: AccessDenied').kind, 's3Output');
    assert.equal(c('ClientError: SageMaker was unable to assume the role arn:aws:iam::1:role/r').kind, 'role');
    assert.equal(c('ClientError: An error occurred (AccessDenied) when calling the GetObject operation').kind, 'role');
    assert.equal(c('InsufficientInstanceCapacity: We currently do not have sufficient ml.m5.24xlarge capacity').kind, 'capacity');
    assert.equal(c('ResourceLimitExceeded: The account-level service limit \'ml.p3.2xlarge for processing job usage\' is 0 Instances').kind, 'limit');
    assert.equal(c('InternalServerError: We encountered an internal error. Please try again.').kind, 'internal');
    assert.equal(c('ClientError: Something else').kind, 'client');
  });
  it('says a stopped job was stopped, and reads exit codes', () => {
    assert.equal(c('', 'Stopped').kind, 'stopped');
    assert.equal(exitCodeFrom('the script exited with code 3 on algo-2'), 3);
    assert.equal(exitCodeFrom('exit code: 137'), 137);
    assert.equal(exitCodeFrom('no code here'), undefined);
  });
});

describe('container paths → workspace files', () => {
  const ws = '/ws';
  const spec = (script: string, extra: ContainerSpec['inputs'] = []): ContainerSpec => ({
    jobName: 'census-2026-12-07-19-31-22-123', image: 'img', imageSource: 'image', entrypoint: ['python3', `${CODE}/x.py`], arguments: [], environment: {},
    inputs: [{ name: 'code', source: { kind: 'local', path: script }, destination: CODE }, ...extra], outputs: [], instanceType: 'ml.m5.large', instanceCount: 1, networkIsolation: false,
  });
  it('maps the code folder of a script job and of a sourceDir job, and local inputs', () => {
    const m = debugPathMappings(spec('/ws/src/preprocessing.py', [{ name: 'lib', source: { kind: 'local', path: '/ws/lib' }, destination: '/opt/ml/processing/input/lib' }]));
    assert.equal(containerToLocal(`${CODE}/preprocessing.py`, m), path.join(ws, 'src', 'preprocessing.py'));
    assert.equal(containerToLocal('/opt/ml/processing/input/lib/helpers/a.py', m), path.join(ws, 'lib', 'helpers', 'a.py'));
    assert.equal(containerToLocal('/usr/lib/python3.11/json/__init__.py', m), undefined);
    assert.equal(containerToLocal(`${CODE}/../../../../etc/passwd`, m), undefined);
    assert.equal(containerToLocal(`${CODE}x/a.py`, m), undefined);
    const sd = debugPathMappings(spec('/ws/pkg'));
    assert.equal(containerToLocal(`${CODE}/util/io.py`, sd), path.join(ws, 'pkg', 'util', 'io.py'));
  });
  it('picks the definition job a cloud job came from by its base name, else the first whose file exists', () => {
    assert.equal(baseJobName('census-2026-12-07-19-31-22-123'), 'census');
    assert.equal(baseJobName('my-own-name'), 'my-own-name');
    const cands = [
      { key: 'other', jobName: 'other-2026-12-07-19-31-22-123', mappings: [{ localRoot: '/ws/other', remoteRoot: CODE }] },
      { key: 'census', jobName: 'census-2026-12-07-19-40-00-000', mappings: [{ localRoot: '/ws/src', remoteRoot: CODE }] },
    ];
    const ordered = candidatesFor('census-2026-01-01-00-00-00-000', cands);
    assert.deepEqual(ordered.map((c) => c.key), ['census', 'other']);
    assert.deepEqual(mapWithCandidates(`${CODE}/a.py`, ordered, (p) => p === path.join('/ws/other', 'a.py')), { local: path.join('/ws/other', 'a.py'), key: 'other' });
    assert.equal(mapWithCandidates(`${CODE}/a.py`, ordered, () => false), undefined);
  });
});

describe('failure summary', () => {
  const ev = (lines: string[], t0: number) => lines.map((message, i) => ({ timestamp: t0 + i, message }));
  const map = (f: string) => (f.startsWith(CODE + '/') ? `/ws/src/${f.slice(CODE.length + 1)}` : undefined);
  it('says the exception, the failing workspace line and the instance that failed first', () => {
    const s = buildFailureSummary({
      jobName: 'census-1', status: 'Failed', failureReason: 'AlgorithmError: , exit code: 1', instanceCount: 2, mapPath: map,
      logs: [
        { instance: 'algo-1', stream: 'census-1/algo-1-1700000000', events: ev(['starting', ...SIMPLE], 5000) },
        { instance: 'algo-2', stream: 'census-1/algo-2-1700000000', events: ev(['starting', ...CHAINED], 1000) },
      ],
    });
    assert.equal(s.instance, 'algo-2'); // its traceback started at t=1001, algo-1's at t=5001
    assert.equal(s.exception, 'RuntimeError: cannot load config');
    assert.deepEqual(s.failing, { file: `${CODE}/util/io.py`, line: 16, name: 'load', code: 'raise RuntimeError("cannot load config") from e', local: '/ws/src/util/io.py' });
    assert.equal(s.exitCode, 1);
    assert.deepEqual(s.unknowns, []);
    assert.equal(summaryHeadline(s), 'RuntimeError: cannot load config at io.py:16 on algo-2');
    const lines = summaryLines(s, (p) => p.replace('/ws/', ''));
    assert.ok(lines.includes('Failing line: src/util/io.py:16'), lines.join('\n'));
    assert.ok(lines.includes('Failed first on: algo-2 (of 2 instances)'));
    assert.ok(lines.some((l) => l.startsWith('  json.decoder.JSONDecodeError: Expecting value')));
    const j = summaryJson(s);
    assert.equal(j.kind, 'exit');
    assert.deepEqual(j.failing, { file: `${CODE}/util/io.py`, line: 16, local: '/ws/src/util/io.py' });
    assert.equal((j.chain as unknown[]).length, 2);
  });
  it('takes the innermost frame in the workspace as the failing line, not a library frame', () => {
    const s = buildFailureSummary({ jobName: 'j', status: 'Failed', failureReason: 'AlgorithmError: See job logs for more information', mapPath: map, logs: [{ instance: 'algo-1', events: ev(SIMPLE, 0) }] });
    assert.equal(s.failing?.local, '/ws/src/preprocessing.py');
    assert.equal(s.failing?.line, 71);
    assert.deepEqual(s.unknowns, ['SageMaker did not say the exit code.']);
  });
  it('says what is unknown: no log stream, access denied, no traceback after sys.exit', () => {
    const noStream = buildFailureSummary({ jobName: 'j', status: 'Failed', failureReason: 'ClientError: Requested image x not found.', logsProblem: { kind: 'noStreams' } });
    assert.equal(noStream.class.kind, 'imagePull');
    assert.match(noStream.unknowns[0], /no log stream: it failed before its container started/);
    assert.equal(summaryHeadline(noStream), 'The image could not be pulled');
    const denied = buildFailureSummary({ jobName: 'j', status: 'Failed', failureReason: 'AlgorithmError: , exit code: 1', logsProblem: { kind: 'accessDenied', detail: 'AccessDeniedException' } });
    assert.match(denied.unknowns[0], /refused access: AccessDeniedException/);
    const exit = buildFailureSummary({ jobName: 'j', status: 'Failed', failureReason: 'AlgorithmError: the script exited with code 3', logs: [{ instance: 'algo-1', events: ev(['bad arguments'], 0) }] });
    assert.equal(exit.exitCode, 3);
    assert.equal(exit.traceback, undefined);
    assert.match(exit.unknowns[0], /exited without raising/);
    assert.equal(summaryHeadline(exit), 'The script failed (exit code 3)');
  });
  it('falls back to the exit message when the log has no traceback', () => {
    const s = buildFailureSummary({ jobName: 'j', status: 'Failed', failureReason: 'AlgorithmError: , exit code: 1', exitMessage: SIMPLE.slice(1).join('\n'), mapPath: map });
    assert.equal(s.exception?.startsWith('FileNotFoundError'), true);
    assert.equal(s.failing?.line, 71);
  });
});

describe('readFailureLogs', () => {
  it('reads each stream (all pages) and names the instances; says when there is no stream', async () => {
    const streams: Record<string, string[][]> = { 'j/algo-1-17': [['a', 'b'], ['c']], 'j/algo-2-17': [['x']] };
    const api: LogsApiPort = {
      listStreams: async (_g, prefix) => Object.keys(streams).filter((s) => s.startsWith(prefix)).map((name) => ({ name })),
      getEvents: async (_g, stream, token) => {
        const n = token ? Number(token) : 0;
        const pages = streams[stream];
        return { events: (pages[n] ?? []).map((message) => ({ timestamp: 1, message })), nextForwardToken: String(Math.min(n + 1, pages.length)) };
      },
    };
    const r = await readFailureLogs(api, 'j');
    assert.deepEqual(r.logs?.map((l) => [l.instance, l.events.map((e) => e.message).join('')]), [['algo-1', 'abc'], ['algo-2', 'x']]);
    assert.deepEqual(await readFailureLogs(api, 'k'), { problem: { kind: 'noStreams' } });
    const denied: LogsApiPort = { ...api, listStreams: async () => { throw Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }); } };
    assert.deepEqual(await readFailureLogs(denied, 'j'), { problem: { kind: 'accessDenied', detail: 'AccessDeniedException' } });
  });
});

describe('cloudJobSummary: a job that ended just now', () => {
  // A chained traceback whose first part reached CloudWatch after the second (seen with the local backend's batches):
  // the first read has the RuntimeError part only, the next ones the whole chain.
  const cause = ['Traceback (most recent call last):', '  File "/opt/ml/processing/input/code/chain.py", line 6, in parse', '    return json.loads(text)',
    'json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)', '', 'The above exception was the direct cause of the following exception:', ''];
  const last = ['Traceback (most recent call last):', '  File "/opt/ml/processing/input/code/chain.py", line 8, in parse',
    '    raise RuntimeError("cannot parse the settings") from e', 'RuntimeError: cannot parse the settings'];
  it('reads again until two reads agree, so a traceback that arrived in parts is read whole', async () => {
    let reads = 0;
    const api: LogsApiPort = {
      listStreams: async () => { reads++; return [{ name: 'chain/algo-1-17' }]; },
      getEvents: async () => {
        const lines = reads === 1 ? last : [...cause, ...last];
        return { events: lines.map((message, i) => ({ timestamp: i, message })), nextForwardToken: 'end' };
      },
    };
    let clock = 1_000_000;
    const s = await cloudJobSummary(api, { ProcessingJobName: 'chain', ProcessingJobStatus: 'Failed', FailureReason: 'AlgorithmError: the script exited with code 1', ProcessingEndTime: new Date(clock) },
      undefined, { now: () => clock, sleep: async (ms) => { clock += ms; }, settleMs: 4000, retryMs: 500 });
    assert.equal(s?.traceback?.kind, 'python');
    if (s?.traceback?.kind !== 'python') return;
    assert.deepEqual(s.traceback.chain.map((c) => [c.type, c.link]), [['json.decoder.JSONDecodeError', 'cause']]);
    assert.equal(reads, 3, 'read until two reads agree');
  });

  it('reads once for a job that ended long ago', async () => {
    let reads = 0;
    const api: LogsApiPort = { listStreams: async () => { reads++; return [{ name: 'old/algo-1-17' }]; }, getEvents: async () => { return { events: last.map((message) => ({ timestamp: 1, message })), nextForwardToken: 'end' }; } };
    await cloudJobSummary(api, { ProcessingJobName: 'old', ProcessingJobStatus: 'Failed', FailureReason: 'AlgorithmError: x', ProcessingEndTime: new Date(0) }, undefined, { now: () => 10_000_000 });
    assert.equal(reads, 1);
  });
});

describe('a failed local run\'s kept output tail (survives a reload)', () => {
  const lines = (n: number, host: string, t0: number) => Array.from({ length: n }, (_v, i) => ({ timestamp: t0 + i, message: `${host} working ${i}` }));
  const TRACE = ['Traceback (most recent call last):', '  File "/opt/ml/processing/input/code/boom.py", line 11, in <module>', '    ratio(2.0)', '  File "/opt/ml/processing/input/code/boom.py", line 6, in ratio', '    raise ValueError("bad ratio: 2.0")', 'ValueError: bad ratio: 2.0'];

  it('keeps the end of each instance within the bounds, and the summary read from it (after JSON) is the same', async () => {
    const { tailOf, keepTails, storedLogs, TAIL_LINES, TAIL_CHARS } = await import('../../src/core/local/failureTail');
    const logs = [
      { instance: 'algo-1', events: [...lines(5000, 'algo-1', 1000), { timestamp: 9000, message: 'x'.repeat(50_000) }, ...TRACE.map((message, i) => ({ timestamp: 9001 + i, message }))] },
      { instance: 'algo-2', events: lines(3000, 'algo-2', 1000) },
    ];
    const tail = tailOf('boom-1', logs);
    for (const h of tail.hosts) assert.ok(h.events.length <= TAIL_LINES, `${h.instance}: ${h.events.length} lines`);
    const size = JSON.stringify(tail).length;
    assert.ok(size < TAIL_CHARS + 16 * 1024, `stored ${size} chars`);
    // A reload: what workspaceState gives back is the JSON of what was stored.
    const stored = JSON.parse(JSON.stringify(keepTails(undefined, tail)));
    const record = { name: 'boom-1', key: 'boom', status: 'Failed' as const, failureReason: 'AlgorithmError: the script exited with code 1', exitCode: 1, instanceCount: 2 };
    const map = (f: string) => (f.startsWith('/opt/ml/processing/input/code/') ? `/ws/${f.split('/').pop()}` : undefined);
    const { localFailureSummary } = await import('../../src/core/local/failureMappings');
    const full = localFailureSummary(record, { logs }, () => false, map)!;
    const kept = localFailureSummary(record, { logs: storedLogs(stored, 'boom-1') }, () => false, map)!;
    assert.equal(kept.exception, 'ValueError: bad ratio: 2.0');
    assert.deepEqual([kept.failing?.local, kept.failing?.line, kept.instance], ['/ws/boom.py', 6, 'algo-1']);
    assert.deepEqual([kept.exception, kept.failing, kept.instance, kept.frames], [full.exception, full.failing, full.instance, full.frames]);
    // Without the kept tail only the exit message is left (what a reload gave before).
    assert.equal(localFailureSummary(record, {}, () => false, map)!.exception, undefined);
  });

  it('keeps the newest runs only, one tail per run, and drops what is malformed', async () => {
    const { tailOf, keepTails, storedLogs, TAIL_RUNS } = await import('../../src/core/local/failureTail');
    let stored: unknown = [{ name: 'bad', hosts: [{ instance: 'algo-1', events: [['no', 1]] }] }, 'junk'];
    for (let i = 0; i < TAIL_RUNS + 3; i++) stored = keepTails(stored, tailOf(`run-${i}`, [{ instance: 'algo-1', events: [{ timestamp: i, message: `line ${i}` }] }]));
    stored = keepTails(stored, tailOf('run-12', [{ instance: 'algo-1', events: [{ timestamp: 1, message: 'again' }] }]));
    const names = (stored as { name: string }[]).map((x) => x.name);
    assert.equal(names.length, TAIL_RUNS);
    assert.deepEqual(names.slice(-2), ['run-11', 'run-12']);
    assert.equal(names.includes('run-0') || names.includes('bad'), false);
    assert.deepEqual(storedLogs(stored, 'run-12'), [{ instance: 'algo-1', events: [{ timestamp: 1, message: 'again' }] }]);
    assert.equal(storedLogs(stored, 'run-0'), undefined);
  });
});

describe('an output upload failure that names the bucket\'s error', () => {
  it('is an output problem, not an input one (NoSuchBucket appears in both kinds of text)', () => {
    const c = classifyFailure({ status: 'Failed', failureReason: 'ClientError: Failed to upload the output "result" to s3://no-such-bucket/out (NoSuchBucket: The specified bucket does not exist). Check that the bucket exists in the region and that the role (locally: your credentials) has s3:PutObject on it.' });
    assert.deepEqual([c.kind, c.category], ['s3Output', 'ClientError']);
    // The input message keeps its kind.
    assert.equal(classifyFailure({ status: 'Failed', failureReason: 'ClientError: No S3 objects found under S3 URL "s3://b/x" given in input data source. Please ensure that the bucket exists in the selected region (us-east-1)' }).kind, 's3Input');
  });
});
