// Worker (bundled by the harness): lists processing jobs with our SageMakerApi, as the explorer and CLI do.
//   node listOurs.js first|all     → last stdout line: {"ms", "count", "pages"}
import { SageMakerApi } from '../../src/aws/sagemaker';

async function main(): Promise<void> {
  const mode = process.argv[2];
  const t0 = performance.now();
  const sm = new SageMakerApi({});
  let count = 0;
  let pages = 0;
  let token: string | undefined;
  do {
    const page = await sm.listProcessingJobs({}, token, 100);
    count += page.jobs.length;
    pages++;
    token = page.nextToken;
  } while (token && mode === 'all');
  const ms = performance.now() - t0;
  sm.destroy();
  process.stdout.write(JSON.stringify({ ms, count, pages }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
