// The in-host suite (test/e2e/inhost/, the @vscode/test-electron style run()) in desktop VS Code, unchanged:
//   npm run test:desktop
// It downloads a VS Code build (@vscode/test-electron), so it needs a machine that reaches VS Code's download site;
// `npm test` runs the same suite inside code-server instead (test/e2e/workbench.test.ts). Needs `npm run setup` and
// `npm run build` first (moto from .cache/venv, the suite bundle out/inhost/index.js).
import { runTests } from '@vscode/test-electron';
import { startMoto } from '../support/moto';
import { seedJobs } from '../support/seed';
import { copyCensusExample } from '../support/session';
import { INHOST_SUITE } from '../support/inhost';
import { ROOT, requireFile } from '../support/paths';

async function main(): Promise<number> {
  requireFile(INHOST_SUITE, 'the in-host suite bundle (npm run build)');
  const moto = await startMoto();
  try {
    await seedJobs(moto.endpoint, ['inhost-seeded-job']);
    const folder = copyCensusExample('desktop');
    await runTests({
      version: process.env.SMP_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: INHOST_SUITE,
      launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: { ...moto.env, SMP_SEEDED_JOB: 'inhost-seeded-job' },
    });
    return 0;
  } catch (err) {
    console.error(`in-host suite in desktop VS Code failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await moto.stop();
  }
}

void main().then((code) => process.exit(code));
