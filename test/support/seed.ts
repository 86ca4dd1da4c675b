import { SageMakerClient, CreateProcessingJobCommand } from '@aws-sdk/client-sagemaker';
import { CENSUS_IMAGE, CREDENTIALS, REGION, ROLE } from './constants';

/** Deprecated name: use ROLE from ./constants. */
export const TEST_ROLE = ROLE;
/** Deprecated name: use CENSUS_IMAGE from ./constants. */
export const TEST_IMAGE = CENSUS_IMAGE;

/** The cluster every seeded job is created with (moto's Describe leaves it out; see describeFidelity.ts). */
export const SEED_RESOURCES = { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge' as const, VolumeSizeInGB: 30 } };

/** Creates processing jobs in moto with the real SDK (moto makes them Completed at once). */
export async function seedJobs(endpoint: string, names: string[]): Promise<void> {
  const sm = new SageMakerClient({
    endpoint, region: REGION,
    credentials: { accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY },
  });
  try {
    for (const name of names) {
      await sm.send(new CreateProcessingJobCommand({
        ProcessingJobName: name,
        RoleArn: ROLE,
        AppSpecification: { ImageUri: CENSUS_IMAGE, ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'] },
        ProcessingResources: SEED_RESOURCES,
      }));
    }
  } finally {
    sm.destroy();
  }
}
