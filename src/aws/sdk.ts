// Every AWS SDK-backed wrapper, behind one module so the extension can load the SDK lazily, as its own bundle
// (dist/aws-sdk.js), on first use. Add new wrappers here (one export line each).
export { SageMakerApi } from './sagemaker';
export { S3Api } from './s3';
export { StsApi } from './sts';
export { LogsApi } from './logs';
export { EcrApi } from './ecr';
