import * as path from 'node:path';
import { format } from 'node:util';
import { startCodeServer } from './codeServer';
import { openWorkbench, type Workbench } from './workbench';
import { ROOT, requireFile } from './paths';

export const INHOST_SUITE = path.join(ROOT, 'out', 'inhost', 'index.js');

export interface InHostResult {
  exitCode: number;
  log: string;
}

/**
 * Runs the @vscode/test-electron style `run()` suite (out/inhost/index.js) inside code-server's extension host,
 * with this checkout as the extension under development. The suite's exit code arrives via codeAutomationExit.
 */
export async function runInHostSuite(opts: {
  folder: string; env?: Record<string, string>; settings?: Record<string, unknown>; timeoutMs?: number;
  /** Open the folder untrusted (Restricted Mode; see CodeServerOptions.untrusted). */
  untrusted?: boolean;
  /** Drives the workbench while the suite runs (answers its dialogs, takes screenshots); `log()` is the suite's log so
   *  far. Its rejection fails the run; the suite's exit is awaited after it. */
  drive?: (wb: Workbench, log: () => string) => Promise<void>;
}): Promise<InHostResult> {
  requireFile(INHOST_SUITE, 'the in-host suite bundle (npm run build)');
  const cs = await startCodeServer({ folder: opts.folder, env: opts.env, settings: opts.settings, installVsix: false, untrusted: opts.untrusted });
  let log = '';
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  const remote = (p: string) => `vscode-remote://127.0.0.1:${cs.port}${p}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(INHOST_SUITE)],
  ]);
  const url = `${cs.url}/?folder=${encodeURIComponent(opts.folder)}&payload=${encodeURIComponent(payload)}`;
  const wb = await openWorkbench(url, {
    beforeGoto: async (page) => {
      await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
      await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
        const line = format(...(args as [unknown, ...unknown[]]));
        log += line + '\n';
        // The workbench's own noise (no marketplace here) stays in the returned log only.
        if (!/ENOTFOUND|^\s+at |Service Worker|ChatSession|socket \(renderer/.test(line)) process.stdout.write(`    [in-host] ${line}\n`);
      });
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<number>((_, rej) => {
      timer = setTimeout(() => rej(new Error(`in-host suite timed out; log so far:\n${log}`)), opts.timeoutMs ?? 180_000);
    });
    if (opts.drive) await Promise.race([opts.drive(wb, () => log), timeout]);
    const exitCode = await Promise.race([exited, timeout]);
    return { exitCode, log };
  } finally {
    clearTimeout(timer);
    await wb.close();
    await cs.stop();
  }
}
