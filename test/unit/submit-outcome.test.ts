// What a submission does when CreateProcessingJob fails, over in-memory ports (the AWS side is covered against moto
// in test/integration/submit-faults.test.ts): when the job is ours it is reported once; otherwise the uploads are
// removed when that is safe, or the error names where they are.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ROOT } from '../support/paths';
import { isOurJob, prepareJob, submitPrepared, type ExistingJob, type PreparedJob, type SubmitPorts } from '../../src/core/submit';

const ROLE = 'arn:aws:iam::123456789012:role/R';
const WS = path.join(ROOT, 'examples', 'census');
const DEF = JSON.stringify({ version: '1', jobs: { j: { script: 'preprocessing.py', image: '1.dkr.ecr.us-east-1.amazonaws.com/i:1', role: ROLE, arguments: ['--a'] } } });

class Ports implements SubmitPorts {
  objects = new Map<string, string>();
  creates = 0;
  deletes: string[][] = [];
  constructor(private readonly createFails: (n: number) => unknown, public existing: ((name: string) => ExistingJob | undefined) | 'fail' = () => undefined) {}
  region = async () => 'us-east-1';
  account = async () => '123456789012';
  ensureBucket = async () => false;
  upload = async (bucket: string, key: string) => { this.objects.set(`${bucket}/${key}`, 'x'); };
  createProcessingJob = async () => {
    const err = this.createFails(++this.creates);
    if (err) throw err;
    return 'arn:new';
  };
  describeProcessingJob = async (name: string) => {
    if (this.existing === 'fail') throw Object.assign(new Error('socket hang up'), { name: 'Error' });
    return this.existing(name);
  };
  deleteObjects = async (bucket: string, keys: string[]) => {
    this.deletes.push(keys);
    for (const k of keys) this.objects.delete(`${bucket}/${k}`);
    return [];
  };
}

const svcError = (name: string, status: number, attempts = 1, message = name) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, attempts } });
const asDescribed = (p: PreparedJob, over: Partial<ExistingJob> = {}): ExistingJob => ({
  ProcessingJobArn: 'arn:existing', ProcessingJobName: p.request.ProcessingJobName, CreationTime: new Date(), RoleArn: p.request.RoleArn,
  AppSpecification: p.request.AppSpecification, ProcessingInputs: p.request.ProcessingInputs as ExistingJob['ProcessingInputs'], ...over,
});

async function prepared(ports: SubmitPorts): Promise<PreparedJob> {
  return (await prepareJob(ports, { definitionText: DEF, workspaceFolder: WS, jobKey: 'j' }))!;
}

describe('submit: after a failed CreateProcessingJob', () => {
  it('ResourceInUse on a retry for a job that is ours: reported as created, once, nothing deleted', async () => {
    const ports = new Ports((n) => (n === 1 ? svcError('ResourceInUse', 400, 2) : undefined));
    const p = await prepared(ports);
    ports.existing = () => asDescribed(p);
    const r = await submitPrepared(ports, p);
    assert.deepEqual([r.arn, r.recovered, ports.creates, ports.deletes.length], ['arn:existing', true, 1, 0]);
  });

  it('ResourceInUse on the first try is someone else\'s job even if it looks the same; the objects are left and named', async () => {
    const ports = new Ports(() => svcError('ResourceInUse', 400, 1));
    const p = await prepared(ports);
    ports.existing = () => asDescribed(p);
    const err = await submitPrepared(ports, p).then(() => assert.fail('resolved'), (e: { uploadNote?: string }) => e);
    assert.match(err.uploadNote ?? '', /left in place \(a different job named .* exists\): s3:\/\/sagemaker-us-east-1-123456789012\/i-.*\/input\/code\/preprocessing\.py/);
    assert.equal(ports.deletes.length, 0);
  });

  it('a definite rejection (4xx) deletes this attempt\'s objects without asking Describe', async () => {
    const ports = new Ports(() => svcError('ValidationException', 400));
    ports.existing = () => assert.fail('no Describe after a definite rejection');
    const p = await prepared(ports);
    const err = await submitPrepared(ports, p).then(() => assert.fail('resolved'), (e: { uploadNote?: string }) => e);
    assert.equal(err.uploadNote, 'The 1 object uploaded for it was removed.');
    assert.equal(ports.objects.size, 0);
  });

  it('an unknown outcome (timeout after retries): not found → removed; Describe failing → left in place and named', async () => {
    const timeout = () => Object.assign(new Error('socket timed out'), { name: 'TimeoutError', $metadata: { attempts: 5 } });
    const gone = new Ports(timeout);
    const err1 = await submitPrepared(gone, await prepared(gone)).then(() => assert.fail('resolved'), (e: { uploadNote?: string }) => e);
    assert.equal(err1.uploadNote, 'The 1 object uploaded for it was removed.');
    const unknown = new Ports(timeout, 'fail');
    const err2 = await submitPrepared(unknown, await prepared(unknown)).then(() => assert.fail('resolved'), (e: { uploadNote?: string }) => e);
    assert.match(err2.uploadNote ?? '', /left in place \(it is unknown whether the job was created\): s3:\/\//);
    assert.equal(unknown.objects.size, 1);
  });

  it('what makes a job ours: name, creation time (5 min skew allowed), role, image, entrypoint, arguments, input URIs', async () => {
    const p = await prepared(new Ports(() => undefined));
    const t = Date.now();
    assert.ok(isOurJob(asDescribed(p), p.request, t));
    assert.ok(isOurJob(asDescribed(p, { CreationTime: new Date(t - 60_000) }), p.request, t));
    assert.ok(!isOurJob(asDescribed(p, { CreationTime: new Date(t - 10 * 60_000) }), p.request, t));
    assert.ok(!isOurJob(asDescribed(p, { ProcessingJobName: 'other' }), p.request, t));
    assert.ok(!isOurJob(asDescribed(p, { RoleArn: 'arn:aws:iam::123456789012:role/Other' }), p.request, t));
    assert.ok(!isOurJob(asDescribed(p, { AppSpecification: { ...p.request.AppSpecification, ContainerArguments: ['--b'] } }), p.request, t));
    assert.ok(!isOurJob(asDescribed(p, { ProcessingInputs: [] }), p.request, t));
  });
});
