// Seeds many processing jobs into moto quickly: CreateProcessingJob calls with the real SDK, many in flight.
import { SageMakerClient, CreateProcessingJobCommand } from '@aws-sdk/client-sagemaker';
import { TEST_CREDENTIALS, TEST_REGION } from '../../test/support/moto';
import { TEST_IMAGE, TEST_ROLE } from '../../test/support/seed';

export async function seedManyJobs(endpoint: string, count: number, prefix: string, concurrency = 24): Promise<string[]> {
  const sm = new SageMakerClient({
    endpoint, region: TEST_REGION, maxAttempts: 5,
    credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
  });
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(6, '0')}`);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < names.length; i = next++) {
      await sm.send(new CreateProcessingJobCommand({
        ProcessingJobName: names[i],
        RoleArn: TEST_ROLE,
        AppSpecification: { ImageUri: TEST_IMAGE, ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'] },
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
      }));
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    sm.destroy();
  }
  return names;
}
