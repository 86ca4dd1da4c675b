// Worker (bundled by the harness): follows a running job's log with our tailer, as the CLI's `logs <job> --follow`
// does (src/core/logs/run.ts over the AWS wrappers), until the job ends. Each line the benchmark's writer puts
// carries its write time (`wrote=<epoch ms>`); the lag is taken when the line is written to stdout.
//   node logsLiveOurs.js <job> [--no-live-tail]   → the lines, then a last stdout line: {"lags": [ms…], "wrote": [epoch ms…], "lines", "mode"}
import { AwsClients } from '../../src/aws/index';
import { runLogsCommand } from '../../src/core/logs/run';

const WROTE = /wrote=(\d{13})/;

async function main(): Promise<void> {
  const job = process.argv[2];
  const liveTail = !process.argv.includes('--no-live-tail');
  let mode: string | undefined;
  const aws = new AwsClients({});
  const lags: number[] = [];
  const wrote: number[] = [];
  let lines = 0;
  let follower: { mode?: string } | undefined;
  try {
    await runLogsCommand(aws, job, true, (line) => {
      process.stdout.write(`${line}\n`);
      const shown = Date.now();
      const m = WROTE.exec(line);
      if (m) {
        lags.push(shown - Number(m[1]));
        wrote.push(Number(m[1]));
      }
      lines++;
    }, { liveTail, onFollower: (f) => (follower = f) });
    mode = follower?.mode;
    process.stdout.write(JSON.stringify({ lags, wrote, lines, mode }) + '\n');
  } finally {
    aws.dispose();
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
