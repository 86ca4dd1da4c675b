// Puts an image record into moto's ECR (CreateRepository + PutImage with a small manifest), so that a submission's
// "is the image in ECR?" check (DescribeImages) finds it. moto keeps no layers: pushes go to the test registry.
import { CreateRepositoryCommand, DescribeImagesCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { TEST_CREDENTIALS } from './moto';

export async function seedEcrImage(endpoint: string, region: string, repository: string, tag: string): Promise<string> {
  const ecr = new ECRClient({ endpoint, region, credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
  try {
    try {
      await ecr.send(new CreateRepositoryCommand({ repositoryName: repository }));
    } catch (err) {
      if ((err as Error).name !== 'RepositoryAlreadyExistsException') throw err;
    }
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: `sha256:${'0'.repeat(63)}1` },
      layers: [],
    };
    try {
      const out = await ecr.send(new PutImageCommand({ repositoryName: repository, imageTag: tag, imageManifest: JSON.stringify(manifest) }));
      return out.image?.imageId?.imageDigest ?? '';
    } catch (err) {
      // Seeded before on this moto (a second session in the same file): the same record is there already.
      if ((err as Error).name !== 'ImageAlreadyExistsException') throw err;
      const found = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }));
      return found.imageDetails?.[0]?.imageDigest ?? '';
    }
  } finally {
    ecr.destroy();
  }
}
