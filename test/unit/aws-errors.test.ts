// The one AWS error classifier (src/core/awsErrors.ts, re-exported by src/aws/errors.ts), fed with the SDK's own exception classes as the clients throw them
// (constructed, not mocked), a credential provider's error, and a real connection refused by a closed port.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import {
  ResourceInUse, ResourceNotFound, SageMakerClient, SageMakerServiceException, DescribeProcessingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { ResourceNotFoundException as LogsNotFound, CloudWatchLogsServiceException } from '@aws-sdk/client-cloudwatch-logs';
import { ImageNotFoundException, RepositoryAlreadyExistsException, RepositoryNotFoundException } from '@aws-sdk/client-ecr';
import { NoSuchBucket, NoSuchKey, NotFound, S3ServiceException } from '@aws-sdk/client-s3';
import { CredentialsProviderError } from '@smithy/core/config';
import { classifyAwsError, explainAwsError, isCredentialsError, type AwsErrorKind } from '../../src/aws/errors';
import { format, setTranslator } from '../../src/core/l10n';
import { readJson } from '../support/manifest';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
/** An exception the service does not model: the SDK throws its ServiceException with the wire name. */
const sm = (name: string, message: string, status = 400, fault: 'client' | 'server' = 'client') =>
  new SageMakerServiceException({ name, message, $fault: fault, ...meta(status) });

const cases: Array<[string, unknown, AwsErrorKind]> = [
  ['SageMaker ResourceNotFound', new ResourceNotFound({ message: 'Pipeline p does not exist', ...meta(400) }), 'notFound'],
  ['SageMaker "Could not find" ValidationException', sm('ValidationException', 'Could not find job to update'), 'notFound'],
  ['SageMaker ResourceInUse', new ResourceInUse({ message: 'Job x already exists', ...meta(400) }), 'alreadyExists'],
  ['SageMaker "already exists" ValidationException', sm('ValidationException', 'Job name must be unique within an AWS account and region, and a job with this name already exists'), 'alreadyExists'],
  ['SageMaker other ValidationException', sm('ValidationException', '1 validation error detected: Value -1 at MaxResults'), 'validation'],
  ['SageMaker ThrottlingException', sm('ThrottlingException', 'Rate exceeded'), 'throttled'],
  ['a 429 with no name we know', sm('SomethingNew', 'slow down', 429), 'throttled'],
  ['SageMaker InternalFailure (500)', sm('InternalFailure', 'oops', 500, 'server'), 'server'],
  ['SageMaker AccessDeniedException', sm('AccessDeniedException', 'User is not authorized to perform sagemaker:ListProcessingJobs', 403), 'accessDenied'],
  ['ExpiredTokenException', sm('ExpiredTokenException', 'The security token included in the request is expired', 403), 'expired'],
  ['Logs ResourceNotFoundException', new LogsNotFound({ message: 'The specified log group does not exist.', ...meta(400) }), 'notFound'],
  ['Logs ThrottlingException', new CloudWatchLogsServiceException({ name: 'ThrottlingException', message: 'Rate exceeded', $fault: 'client', ...meta(400) }), 'throttled'],
  ['ECR RepositoryNotFoundException', new RepositoryNotFoundException({ message: 'no repo', ...meta(400) }), 'notFound'],
  ['ECR ImageNotFoundException', new ImageNotFoundException({ message: 'no image', ...meta(400) }), 'notFound'],
  ['ECR RepositoryAlreadyExistsException', new RepositoryAlreadyExistsException({ message: 'exists', ...meta(400) }), 'alreadyExists'],
  ['S3 NoSuchBucket', new NoSuchBucket({ message: 'NoSuchBucket', ...meta(404) }), 'notFound'],
  ['S3 NoSuchKey', new NoSuchKey({ message: 'NoSuchKey', ...meta(404) }), 'notFound'],
  ['S3 HeadObject NotFound', new NotFound({ message: 'NotFound', ...meta(404) }), 'notFound'],
  ['S3 bare 404 (HeadBucket)', new S3ServiceException({ name: '404', message: 'UnknownError', $fault: 'client', ...meta(404) }), 'notFound'],
  ['S3 SlowDown (503)', new S3ServiceException({ name: 'SlowDown', message: 'Please reduce your request rate.', $fault: 'server', ...meta(503) }), 'throttled'],
  ['a credential provider', new CredentialsProviderError('Could not load credentials from any providers', { tryNextLink: false }), 'credentials'],
  ['no region', new Error('Region is missing'), 'noRegion'],
  ['the HTTP handler timing out', Object.assign(new Error('@smithy/node-http-handler - the request socket timed out after 800 ms'), { name: 'TimeoutError' }), 'timeout'],
  ['an abort', Object.assign(new Error('Request aborted'), { name: 'AbortError' }), 'aborted'],
  ['something else', new Error('boom'), 'other'],
  ['not even an Error', 'a string', 'other'],
];

for (const [what, err, kind] of cases) {
  test(`classifyAwsError: ${what} → ${kind}`, () => {
    assert.equal(classifyAwsError(err).kind, kind);
  });
}

test('retryable: throttled, server, timeout and network only', () => {
  for (const [, err, kind] of cases) {
    assert.equal(classifyAwsError(err).retryable, ['throttled', 'server', 'timeout', 'network'].includes(kind), kind);
  }
});

test('a real refused connection (a closed port) is a network error, explained as such', async () => {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  const client = new SageMakerClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  try {
    const err = await client.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'x' })).then(() => undefined, (e: unknown) => e);
    assert.ok(err, 'the call failed');
    const c = classifyAwsError(err);
    assert.equal(c.kind, 'network');
    assert.equal(c.retryable, true);
    assert.match(explainAwsError(err), /Cannot reach the AWS endpoint \(ECONNREFUSED\)\. Check the network or the endpoint URL setting\./);
    assert.match(explainAwsError(err, { cli: true }), /--endpoint-url/);
  } finally {
    client.destroy();
  }
});

test('explainAwsError is built on the classifier and says each kind in the UI and CLI variants', () => {
  const creds = new CredentialsProviderError('Could not load credentials from any providers', { tryNextLink: false });
  assert.match(explainAwsError(creds), /Switch AWS Profile/);
  assert.match(explainAwsError(creds, { cli: true }), /--profile or AWS_PROFILE/);
  assert.ok(isCredentialsError(creds));
  assert.ok(isCredentialsError(sm('ExpiredTokenException', 'The security token included in the request is expired', 403)));
  assert.ok(!isCredentialsError(sm('AccessDeniedException', 'not authorized', 403)));
  assert.equal(explainAwsError(sm('InternalFailure', 'oops', 500, 'server')), 'AWS service error (500): oops');
  assert.equal(explainAwsError(sm('ThrottlingException', 'Rate exceeded')), 'AWS is throttling requests (ThrottlingException); retrying shortly.');
  assert.equal(explainAwsError(sm('AccessDeniedException', 'nope', 403)), 'Access denied: nope');
  assert.equal(explainAwsError(new ResourceNotFound({ message: 'Pipeline p does not exist', ...meta(400) })), 'ResourceNotFound: Pipeline p does not exist');
  assert.equal(explainAwsError(Object.assign(sm('ValidationException', 'bad'), { uploadNote: 'The uploaded code was deleted.' })), 'ValidationException: bad The uploaded code was deleted.');
});

test('explainAwsError speaks Japanese through the one translator (l10n/bundle.l10n.ja.json)', () => {
  const ja = readJson<Record<string, string>>('l10n/bundle.l10n.ja.json');
  setTranslator((m, ...args) => format(ja[m] ?? m, args));
  try {
    assert.equal(explainAwsError(sm('InternalFailure', 'oops', 500, 'server')), 'AWS サービスエラー (500): oops');
    assert.match(explainAwsError(new Error('Region is missing'), { cli: true }), /AWS リージョンが設定されていません。--region/);
    // The fix-it and retry decisions do not read the (now Japanese) text.
    assert.ok(isCredentialsError(new CredentialsProviderError('Could not load credentials from any providers', { tryNextLink: false })));
  } finally {
    setTranslator((m, ...args) => format(m, args));
  }
});
