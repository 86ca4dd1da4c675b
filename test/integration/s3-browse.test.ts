// The `s3:` file system's listing and reading (src/core/s3browse.ts over the S3 wrapper) against moto: a prefix with
// 10,000 objects (100 folders × 100) is listed one level at a time, page by page, never whole; a large object is read
// by its first range only.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { S3Api } from '../../src/aws/s3';
import { folderPrefix, listLevel, readPlan, RANGE_BYTES, READ_WHOLE_MAX } from '../../src/core/s3browse';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';

const BUCKET = 's3-browse-test';
const FOLDERS = 100;
const PER_FOLDER = 100;
const pad = (n: number) => String(n).padStart(3, '0');

describe('S3 browsing against moto (10,000 objects)', () => {
  let moto: Moto;
  let s3: S3Api;
  let restore: () => void;
  /** ListObjectsV2 requests sent since the last reset. */
  let lists = 0;

  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    s3 = new S3Api({ endpointUrl: moto.endpoint, region: 'us-east-1' });
    await s3.ensureBucket(BUCKET, 'us-east-1');
    const keys: string[] = [];
    for (let d = 0; d < FOLDERS; d++) for (let f = 0; f < PER_FOLDER; f++) keys.push(`big/dir-${pad(d)}/part-${pad(f)}.csv`);
    let next = 0;
    await Promise.all(Array.from({ length: 24 }, async () => {
      while (next < keys.length) {
        const key = keys[next++];
        await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `${key}\n` }));
      }
    }));
    s3.client.middlewareStack.add((nextHandler, context) => async (args) => {
      if (context.commandName === 'ListObjectsV2Command') lists++;
      return nextHandler(args);
    }, { step: 'initialize', name: 'countLists' });
  });
  after(async () => {
    s3?.destroy();
    restore?.();
    await moto?.stop();
  });

  it('the prefix root lists its 100 folders in one request, not the 10,000 objects under them', async () => {
    lists = 0;
    const prefix = folderPrefix('/big');
    assert.equal(prefix, 'big/');
    const level = await listLevel(prefix, (token) => s3.listPage(BUCKET, prefix, { delimiter: '/', token }));
    assert.equal(lists, 1);
    assert.equal(level.pages, 1);
    assert.equal(level.truncated, false);
    assert.equal(level.entries.length, FOLDERS);
    assert.ok(level.entries.every((e) => e.kind === 'dir'));
    assert.deepEqual(level.entries.slice(0, 2).map((e) => e.name), ['dir-000', 'dir-001']);
  });

  it('a folder is read page by page: 100 objects at 30 a page are 4 requests, with sizes and times', async () => {
    lists = 0;
    const prefix = 'big/dir-042/';
    const level = await listLevel(prefix, (token) => s3.listPage(BUCKET, prefix, { delimiter: '/', token, max: 30 }));
    assert.equal(lists, 4);
    assert.equal(level.pages, 4);
    assert.equal(level.entries.length, PER_FOLDER);
    assert.equal(level.truncated, false);
    const first = level.entries[0];
    assert.equal(first.name, 'part-000.csv');
    assert.equal(first.size, Buffer.byteLength('big/dir-042/part-000.csv\n'));
    assert.ok(first.lastModified && Math.abs(first.lastModified - Date.now()) < 3600_000);
  });

  it('a listing stops at its limit and says it was cut: a limit of 50 at 30 a page asks twice', async () => {
    lists = 0;
    const prefix = 'big/dir-007/';
    const level = await listLevel(prefix, (token) => s3.listPage(BUCKET, prefix, { delimiter: '/', token, max: 30 }), 50);
    assert.equal(lists, 2);
    assert.equal(level.entries.length, 50);
    assert.equal(level.truncated, true);
  });

  it('stat gives size and modified time; a large object is read by its first range only', async () => {
    const big = Buffer.alloc(READ_WHOLE_MAX + 4096);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    await s3.upload(BUCKET, 'big/huge.bin', big);
    const st = await s3.stat(BUCKET, 'big/huge.bin');
    assert.equal(st?.size, big.length);
    assert.ok(st?.lastModified);
    assert.equal(await s3.stat(BUCKET, 'big/nothing-here'), undefined);
    const plan = readPlan(st.size);
    assert.deepEqual(plan, { whole: false, start: 0, end: RANGE_BYTES - 1 });
    const head = await s3.read(BUCKET, 'big/huge.bin', plan.whole ? undefined : { start: plan.start, end: plan.end });
    assert.equal(head.length, RANGE_BYTES);
    assert.ok(Buffer.from(head).equals(big.subarray(0, RANGE_BYTES)));
    const small = await s3.read(BUCKET, 'big/dir-000/part-001.csv');
    assert.equal(Buffer.from(small).toString(), 'big/dir-000/part-001.csv\n');
  });
});
