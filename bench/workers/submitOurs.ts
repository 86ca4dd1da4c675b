// Worker (bundled by the harness): submits a job of a definition with our core (src/core/submit.ts) over the AWS
// wrappers, as "Run as Processing Job" does: parse and validate, STS, default bucket, uploads, CreateProcessingJob.
// It submits twice in one process: the first ("cold": loads the SDK, creates clients, resolves credentials) and a
// second ("warm": what every later run in the same extension host costs).
//   node submitOurs.js <workspace folder> <job key>   → last stdout line: {"ms", "warmMs", "job": the resolved job}
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AwsClients } from '../../src/aws/index';
import { awsSubmitPorts } from '../../src/aws/submitPorts';
import { submitJob } from '../../src/core/submit';

async function main(): Promise<void> {
  const [folder, jobKey] = process.argv.slice(2);
  const t0 = performance.now();
  const aws = new AwsClients({});
  try {
    const definitionFile = path.join(folder, '.vscode', 'sagemaker-processing.json');
    const submit = async () => {
      const r = await submitJob(awsSubmitPorts(aws), {
        definitionText: fs.readFileSync(definitionFile, 'utf8'), definitionFile, workspaceFolder: folder, jobKey, env: process.env,
      });
      if (!r) throw new Error('nothing submitted');
      return r;
    };
    const r = await submit();
    const ms = performance.now() - t0;
    // Job names have millisecond timestamps: make sure the second one differs.
    await new Promise((res) => setTimeout(res, 5));
    const t1 = performance.now();
    await submit();
    const warmMs = performance.now() - t1;
    process.stdout.write(JSON.stringify({ ms, warmMs, job: r.job }) + '\n');
  } finally {
    aws.dispose();
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
