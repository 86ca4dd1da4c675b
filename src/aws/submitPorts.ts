import type { SubmitPorts } from '../core/submit';
import type { AwsClients } from './index';
import type { CreateProcessingJobRequest } from './sagemaker';
import { t } from '../core/l10n';

/** The submission ports over the AWS wrappers (STS for the account, S3 for bucket and uploads, SageMaker create). */
export function awsSubmitPorts(aws: AwsClients): SubmitPorts {
  return {
    region: async () => {
      const r = aws.current.region ?? (await (await aws.sts()).region());
      if (!r) throw new Error(t('Region is missing'));
      return r;
    },
    // Like the SDK's Session: the account and a bucket known to exist are looked up once per target.
    account: () => aws.memo('account', async () => (await (await aws.sts()).callerIdentity()).account),
    ensureBucket: async (bucket, region, opts = {}) => {
      const key = `bucket:${region}:${bucket}:${opts.prefix ?? ''}:${opts.expectedOwner ?? ''}`;
      const known = aws.isMemoized(key);
      const created = await aws.memo(key, async () => (await aws.s3()).ensureBucket(bucket, region, opts));
      return known ? false : created;
    },
    upload: async (bucket, key, body, opts) => (await aws.s3()).upload(bucket, key, body, opts),
    describeProcessingJob: async (name) => (await aws.sagemaker()).findProcessingJob(name),
    deleteObjects: async (bucket, keys) => (await aws.s3()).deleteObjects(bucket, keys),
    // An image found once is taken as there for the rest of the target's life (a missing one is asked again).
    checkImage: async (ref) => {
      const region = aws.current.region ?? (await (await aws.sts()).region());
      if (region !== ref.region) return 'unknown';
      const key = `image:${ref.uri}`;
      if (aws.isMemoized(key)) return aws.memo(key, async () => 'present' as const);
      const state = await (await aws.ecr()).imageState(ref);
      if (state === 'present') void aws.memo(key, async () => state);
      return state;
    },
    expandRole: (roleName) => aws.memo(`role:${roleName}`, async () => (await aws.iam()).roleArn(roleName)),
    createProcessingJob: async (req) => (await aws.sagemaker()).createProcessingJob(req as CreateProcessingJobRequest), // instance types are checked by pattern, not the SDK's enum
  };
}
