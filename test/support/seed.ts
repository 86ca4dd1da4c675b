import { SageMakerClient, CreateProcessingJobCommand } from '@aws-sdk/client-sagemaker';
import { TEST_ACCOUNT, TEST_CREDENTIALS, TEST_REGION } from './moto';

export const TEST_ROLE = `arn:aws:iam::${TEST_ACCOUNT}:role/SageMakerProcessingRole`;
export const TEST_IMAGE = `${TEST_ACCOUNT}.dkr.ecr.${TEST_REGION}.amazonaws.com/sagemaker-processing-census:latest`;

/** The cluster every seeded job is created with (moto's Describe leaves it out; see describeFidelity.ts). */
export const SEED_RESOURCES = { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge' as const, VolumeSizeInGB: 30 } };

/** Creates processing jobs in moto with the real SDK (moto makes them Completed at once). */
export async function seedJobs(endpoint: string, names: string[]): Promise<void> {
  const sm = new SageMakerClient({
    endpoint, region: TEST_REGION,
    credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
  });
  try {
    for (const name of names) {
      await sm.send(new CreateProcessingJobCommand({
        ProcessingJobName: name,
        RoleArn: TEST_ROLE,
        AppSpecification: { ImageUri: TEST_IMAGE, ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'] },
        ProcessingResources: SEED_RESOURCES,
      }));
    }
  } finally {
    sm.destroy();
  }
}
