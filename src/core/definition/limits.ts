/** API limits of CreateProcessingJob and the enums the schema offers. */
export const LIMITS = {
  inputs: 10,
  outputs: 10,
  arguments: 100,
  entrypoint: 100,
  argumentLength: 256,
  environment: 100,
  environmentKeyLength: 256,
  environmentValueLength: 256,
  instanceCountMin: 1,
  instanceCountMax: 100,
  maxRuntimeSeconds: 777_600,
  volumeSizeGBMax: 16_384,
  tags: 50,
} as const;

export const INSTANCE_TYPES = [
  'ml.t3.medium', 'ml.t3.large', 'ml.t3.xlarge', 'ml.t3.2xlarge',
  'ml.m4.xlarge', 'ml.m4.2xlarge', 'ml.m4.4xlarge', 'ml.m4.10xlarge', 'ml.m4.16xlarge',
  'ml.m5.large', 'ml.m5.xlarge', 'ml.m5.2xlarge', 'ml.m5.4xlarge', 'ml.m5.12xlarge', 'ml.m5.24xlarge',
  'ml.m6i.large', 'ml.m6i.xlarge', 'ml.m6i.2xlarge', 'ml.m6i.4xlarge', 'ml.m6i.8xlarge', 'ml.m6i.12xlarge', 'ml.m6i.16xlarge', 'ml.m6i.24xlarge', 'ml.m6i.32xlarge',
  'ml.c4.xlarge', 'ml.c4.2xlarge', 'ml.c4.4xlarge', 'ml.c4.8xlarge',
  'ml.c5.xlarge', 'ml.c5.2xlarge', 'ml.c5.4xlarge', 'ml.c5.9xlarge', 'ml.c5.18xlarge',
  'ml.r5.large', 'ml.r5.xlarge', 'ml.r5.2xlarge', 'ml.r5.4xlarge', 'ml.r5.8xlarge', 'ml.r5.12xlarge', 'ml.r5.16xlarge', 'ml.r5.24xlarge',
  'ml.p3.2xlarge', 'ml.p3.8xlarge', 'ml.p3.16xlarge', 'ml.g4dn.xlarge', 'ml.g4dn.2xlarge', 'ml.g4dn.4xlarge', 'ml.g4dn.8xlarge',
  'ml.g4dn.12xlarge', 'ml.g4dn.16xlarge', 'ml.g5.xlarge', 'ml.g5.2xlarge', 'ml.g5.4xlarge', 'ml.g5.8xlarge', 'ml.g5.12xlarge',
];

export const INPUT_MODES = ['File', 'Pipe'] as const;
export const DATA_TYPES = ['S3Prefix', 'ManifestFile'] as const;
export const DISTRIBUTIONS = ['FullyReplicated', 'ShardedByS3Key'] as const;
export const COMPRESSIONS = ['None', 'Gzip'] as const;
export const UPLOAD_MODES = ['EndOfJob', 'Continuous'] as const;

export const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
export const S3_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const CHANNEL_NAME = /^[A-Za-z0-9_-]{1,256}$/;
export const ENV_KEY = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const INSTANCE_TYPE = /^ml\.[a-z0-9-]+\.[a-z0-9]+$/;
export const ECR_REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
