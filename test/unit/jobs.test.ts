import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatDuration, formatRelative, isTerminal, sortNewestFirst, JOB_STATUSES } from '../../src/core/jobs';
import { formatDuration as planFormatDuration } from '../../src/core/build/plan';
import { normalizeTarget, describeTarget } from '../../src/core/settings';
import { clientConfig } from '../../src/aws/clientConfig';
import { explainAwsError } from '../../src/aws/errors';
import { parseArgs } from '../../src/cli';

test('terminal statuses', () => {
  assert.deepEqual(JOB_STATUSES.filter(isTerminal), ['Completed', 'Failed', 'Stopped']);
});

test('sortNewestFirst orders by creation time, then name, without mutating', () => {
  const jobs = [
    { name: 'b', creationTime: new Date(1000) },
    { name: 'a', creationTime: new Date(3000) },
    { name: 'c', creationTime: new Date(1000) },
  ];
  assert.deepEqual(sortNewestFirst(jobs).map((j) => j.name), ['a', 'b', 'c']);
  assert.deepEqual(jobs.map((j) => j.name), ['b', 'a', 'c']);
});

test('formatDuration and formatRelative', () => {
  // One format for jobs, local runs, logs and build steps (src/core/build/plan.ts re-exports it).
  assert.equal(formatDuration(0), '0 ms');
  assert.equal(formatDuration(850), '850 ms');
  assert.equal(formatDuration(4210), '4.2 s');
  assert.equal(formatDuration(59_400), '59 s');
  assert.equal(formatDuration(61_000), '1 min 1 s');
  assert.equal(formatDuration(3_600_000 + 5 * 60_000), '1 h 5 min');
  assert.equal(formatDuration(-1), '');
  assert.equal(formatDuration(Number.NaN), '');
  assert.equal(planFormatDuration, formatDuration, 'no second copy in the build plan');
  const now = new Date('2026-01-01T12:00:00Z');
  assert.equal(formatRelative(new Date('2026-01-01T11:59:50Z'), now), 'just now');
  assert.equal(formatRelative(new Date('2026-01-01T11:50:00Z'), now), '10 min ago');
  assert.equal(formatRelative(new Date('2026-01-01T09:00:00Z'), now), '3 h ago');
  assert.equal(formatRelative(new Date('2025-12-29T12:00:00Z'), now), '3 d ago');
});

test('settings: empty strings mean unset; the endpoint forces path-style S3', () => {
  const t = normalizeTarget({ profile: ' ', region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:5000' });
  assert.deepEqual(t, { profile: undefined, region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:5000' });
  assert.equal(describeTarget(t), 'default credentials · eu-west-1 · endpoint http://127.0.0.1:5000');
  // Every client gets connect and idle-socket timeouts, so a stalled connection is retried instead of hanging.
  const requestHandler = { connectionTimeout: 10_000, socketTimeout: 60_000 };
  assert.deepEqual(clientConfig(t, 's3'), { maxAttempts: 5, requestHandler, region: 'eu-west-1', endpoint: 'http://127.0.0.1:5000', forcePathStyle: true });
  assert.deepEqual(clientConfig({ profile: 'dev' }, 'sagemaker'), { maxAttempts: 5, requestHandler, profile: 'dev' });
});

test('AWS errors become one clear message', () => {
  assert.match(explainAwsError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })), /No AWS credentials found/);
  assert.match(explainAwsError(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException' })), /expired/);
  assert.match(explainAwsError(new Error('Region is missing')), /No AWS region/);
  assert.match(explainAwsError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })), /Cannot reach the AWS endpoint/);
});

test('CLI argument parsing', () => {
  const p = parseArgs(['jobs', '--status', 'Failed', '--json', '--max=5']);
  assert.equal(p.command, 'jobs');
  assert.equal(p.flags.get('status'), 'Failed');
  assert.equal(p.flags.get('json'), true);
  assert.equal(p.flags.get('max'), '5');
});
