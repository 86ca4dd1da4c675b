// Runs one measured child process: wall time and peak RSS come from wait4 (bench/lib/rusage.py), never from a
// shell; argument arrays only.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BENCH_TMP } from './paths';

const RUSAGE = path.join(__dirname, 'rusage.py');
const SYSTEM_PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export interface Measured {
  wallMs: number;
  maxRssMb: number;
  stdout: string;
  stderr: string;
}

let seq = 0;

/** Runs `cmd args` to completion under the rusage wrapper; rejects (with its stderr) on a non-zero exit. */
export function runMeasured(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<Measured> {
  fs.mkdirSync(BENCH_TMP, { recursive: true });
  const report = path.join(BENCH_TMP, `rusage-${process.pid}-${++seq}.json`);
  return new Promise((resolve, reject) => {
    // stdout goes to a file, as a redirect in a terminal would: no pipe back-pressure from this process, and no
    // output lost by a program that exits while its stdout pipe still drains.
    const outFile = `${report}.stdout`;
    const outFd = fs.openSync(outFile, 'w');
    const child = spawn(SYSTEM_PYTHON, [RUSAGE, report, cmd, ...args], { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', outFd, 'pipe'] });
    fs.closeSync(outFd);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const stdout = fs.readFileSync(outFile, 'utf8');
      fs.rmSync(outFile, { force: true });
      let r: { wall_ms: number; maxrss_kb: number; exit_code: number };
      try {
        r = JSON.parse(fs.readFileSync(report, 'utf8'));
        fs.rmSync(report, { force: true });
      } catch {
        reject(new Error(`${path.basename(cmd)} ${args.join(' ')}: no rusage report (killed or timed out?)\n${stderr.slice(-2000)}`));
        return;
      }
      if (r.exit_code !== 0) {
        reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${r.exit_code}:\n${stderr.slice(-2000) || stdout.slice(-2000)}`));
        return;
      }
      resolve({ wallMs: r.wall_ms, maxRssMb: r.maxrss_kb / 1024, stdout, stderr });
    });
  });
}

/** The last line of a worker's stdout is one JSON object with its in-process measurements. */
export function lastJson<T>(m: Measured, what: string): T {
  const line = m.stdout.trimEnd().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`${what} printed no JSON result: ${m.stdout.slice(-500)}\n${m.stderr.slice(-1500)}`);
  }
}
