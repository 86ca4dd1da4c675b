import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, httpGet, waitFor } from './net';
import { CACHE, CODE_SERVER_DIR, ROOT, requireFile, scratchDir } from './paths';
import { run, startService, type Service } from './proc';
import { buildLanguagePack, registerLanguagePack } from './languagePack';

export const VSIX = path.join(ROOT, 'dist', 'sagemaker-processing.vsix');

export interface CodeServer {
  url: string;
  port: number;
  dir: string;
  userDataDir: string;
  service: Service;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Folder to open. */
  folder: string;
  /** User settings (merged over quiet defaults). */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and so for the extension host (e.g. AWS_* for moto). */
  env?: Record<string, string>;
  /** Install the built .vsix (default true). */
  installVsix?: boolean;
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Display language, e.g. `ja`: `"locale"` in the user-data argv.json plus a minimal language pack for it
   *  (test/support/languagePack.ts says why one is needed). Default: English. */
  locale?: string;
  /** Workspace trust on, and the folder left untrusted (Restricted Mode, no startup prompt). Default: trust disabled
   *  (`--disable-workspace-trust`), every folder trusted. */
  untrusted?: boolean;
  /** More .vsix files to install (e.g. test-only extensions). */
  extraVsix?: string[];
}

/** Starts code-server (pinned, installed by setup) with the built .vsix, on a free loopback port, no auth. */
export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const entry = requireFile(path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js'), 'code-server');
  const dir = scratchDir('code-server');
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  const tmp = path.join(dir, 'tmp');
  for (const d of [userDataDir, extensionsDir, tmp, path.join(userDataDir, 'User')]) fs.mkdirSync(d, { recursive: true });
  const config = path.join(dir, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  const settings = {
    'workbench.startupEditor': 'none',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'window.restoreWindows': 'none',
    'workbench.enableExperiments': false,
    'chat.disableAIFeatures': true,
    'git.openRepositoryInParentFolders': 'never',
    'git.enabled': false,
    ...(opts.untrusted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false } : {}),
    ...opts.settings,
  };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // code-server is a remote: machine-scoped settings are read from the Machine settings, not the browser's User ones.
  fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(settings, null, 2));
  const env = { ...process.env, TMPDIR: tmp, ...opts.env };
  const common = ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  if (opts.installVsix !== false) await installVsix(entry, config, extensionsDir, env);
  for (const vsix of opts.extraVsix ?? []) await run(process.execPath, [entry, ...common, '--install-extension', vsix], { env });
  if (opts.locale && !opts.locale.startsWith('en')) {
    // As "Configure Display Language" does: the locale in argv.json, and a pack for it installed.
    fs.writeFileSync(path.join(userDataDir, 'User', 'argv.json'), JSON.stringify({ locale: opts.locale }, null, 2));
    const pack = await buildLanguagePack(opts.locale, dir);
    await run(process.execPath, [entry, ...common, '--install-extension', pack.vsix], { env });
    registerLanguagePack(userDataDir, extensionsDir, pack);
  }
  const port = opts.port ?? (await freePort());
  const service = startService('code-server', process.execPath, [
    entry, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', ...(opts.untrusted ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', opts.folder,
  ], path.join(dir, 'code-server.log'), { env });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('code-server /healthz', async () => {
    if (!service.running) throw new Error(`code-server exited: ${service.log().slice(-2000)}`);
    return (await httpGet(`${url}/healthz`)).status === 200;
  }, 60_000, 200);
  return {
    url, port, dir, userDataDir, service,
    async stop() {
      await service.stop('SIGTERM', 5000);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Installs the built .vsix into `extensionsDir` as `code-server --install-extension` does. The install itself (10 s
 * and more on a loaded machine, in every session) runs once per .vsix content and code-server build, into a folder
 * kept under .cache/vsix-installed/<key>; each session gets a copy of that folder, with the absolute locations in its
 * extensions.json (the install records them) pointed at the session's own folder.
 */
async function installVsix(entry: string, config: string, extensionsDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  requireFile(VSIX, 'the built .vsix (npm run package)');
  const key = createHash('sha256').update(fs.readFileSync(VSIX)).update(fs.readFileSync(path.join(CODE_SERVER_DIR, 'package.json')))
    .digest('hex').slice(0, 16);
  const kept = path.join(CACHE, 'vsix-installed', key);
  if (!fs.existsSync(path.join(kept, 'from'))) {
    fs.mkdirSync(path.dirname(kept), { recursive: true });
    const tmp = `${kept}.tmp-${process.pid}-${Date.now()}`;
    const ext = path.join(tmp, 'extensions');
    fs.mkdirSync(ext, { recursive: true });
    fs.mkdirSync(path.join(tmp, 'user-data'));
    try {
      await run(process.execPath, [entry, '--config', config, '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', ext, '--install-extension', VSIX], { env });
      fs.rmSync(path.join(tmp, 'user-data'), { recursive: true, force: true });
      fs.writeFileSync(path.join(tmp, 'from'), ext);
      // Another process may have kept the same install meanwhile: either copy is as good.
      for (const old of fs.readdirSync(path.dirname(kept))) {
        if (!old.includes('.tmp-') && old !== key) fs.rmSync(path.join(path.dirname(kept), old), { recursive: true, force: true });
      }
      try { fs.renameSync(tmp, kept); } catch { /* kept by the other process */ }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  const from = fs.readFileSync(path.join(kept, 'from'), 'utf8');
  fs.cpSync(path.join(kept, 'extensions'), extensionsDir, { recursive: true });
  const list = path.join(extensionsDir, 'extensions.json');
  const text = fs.readFileSync(list, 'utf8');
  const moved = text.split(pathToFileURL(from).href).join(pathToFileURL(extensionsDir).href).split(from).join(extensionsDir);
  if (!text.includes(from) || moved.includes(from)) throw new Error(`unexpected extensions.json after installing the .vsix: ${text}`);
  fs.writeFileSync(list, moved);
}
