// Worker (bundled by the harness): prints a finished job's merged log lines with our tailer, as the CLI's
// `logs <job>` does (src/core/logs/run.ts over the AWS wrappers).
//   node logsOurs.js <job>   → the lines, then a last stdout line: {"ms", "lines"}
import { AwsClients } from '../../src/aws/index';
import { runLogsCommand } from '../../src/core/logs/run';

async function main(): Promise<void> {
  const job = process.argv[2];
  const t0 = performance.now();
  const aws = new AwsClients({});
  let buf: string[] = [];
  let lines = 0;
  const flush = () => {
    if (buf.length) process.stdout.write(buf.join('\n') + '\n');
    buf = [];
  };
  try {
    await runLogsCommand(aws, job, false, (line) => {
      lines++;
      buf.push(line);
      if (buf.length >= 1000) flush();
    });
    flush();
    const ms = performance.now() - t0;
    process.stdout.write(JSON.stringify({ ms, lines }) + '\n');
  } finally {
    aws.dispose();
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
