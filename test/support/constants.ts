// The tests' shared constants, in one place: the emulated account, region and credentials (dummy ones, never real),
// the IAM role and the census image the definitions use. test/support/moto.ts, seed.ts and proxiedSubmit.ts re-export
// them under their older names.
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
/** Dummy credentials for the local AWS emulator (never real ones). */
export const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' } as const;
/** The same, in the SDK's shape. */
export const SDK_CREDENTIALS = { accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY };
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/SageMakerProcessingRole`;
export const ECR_REGISTRY = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
/** The census image of examples/census's definition (repository sagemaker-processing-census). */
export const CENSUS_IMAGE = `${ECR_REGISTRY}/sagemaker-processing-census:latest`;
