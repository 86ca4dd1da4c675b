import type { SubmitPorts } from '../core/submit';
import type { AwsClients } from './index';
import type { CreateProcessingJobRequest } from './sagemaker';

/** The submission ports over the AWS wrappers (STS for the account, S3 for bucket and uploads, SageMaker create). */
export function awsSubmitPorts(aws: AwsClients): SubmitPorts {
  return {
    region: async () => {
      const r = aws.current.region ?? (await (await aws.sts()).region());
      if (!r) throw new Error('Region is missing');
      return r;
    },
    account: async () => (await (await aws.sts()).callerIdentity()).account,
    ensureBucket: async (bucket, region) => (await aws.s3()).ensureBucket(bucket, region),
    upload: async (bucket, key, body, opts) => (await aws.s3()).upload(bucket, key, body, opts),
    createProcessingJob: async (req) => (await aws.sagemaker()).createProcessingJob(req as CreateProcessingJobRequest), // instance types are checked by pattern, not the SDK's enum
  };
}
