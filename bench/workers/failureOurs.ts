// Worker (bundled by the harness): watches a job as the extension's monitor does until DescribeProcessingJob says
// Failed, then builds its failure summary (the description and the CloudWatch logs: src/core/failure/summary.ts over
// the AWS wrappers), as the end notification and the tree show it.
//   node failureOurs.js <job> <pollMs>   → a last stdout line: {"seenAt", "doneAt", "exception", "failing"}
import { AwsClients } from '../../src/aws/index';
import { cloudJobSummary } from '../../src/core/failure/summary';

async function main(): Promise<void> {
  const [job, poll] = [process.argv[2], Number(process.argv[3] ?? 1000)];
  const aws = new AwsClients({});
  try {
    const sm = await aws.sagemaker();
    for (;;) {
      const d = await sm.describeProcessingJob(job);
      if (d.ProcessingJobStatus === 'Failed') {
        const seenAt = Date.now();
        const s = await cloudJobSummary(await aws.logs(), d, undefined);
        const doneAt = Date.now();
        process.stdout.write(JSON.stringify({ seenAt, doneAt, exception: s?.exception, failing: s?.failing ? `${s.failing.file}:${s.failing.line}` : undefined }) + '\n');
        return;
      }
      await new Promise((r) => setTimeout(r, poll));
    }
  } finally {
    aws.dispose();
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
