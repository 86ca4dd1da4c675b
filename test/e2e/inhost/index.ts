// The in-host test suite, in the @vscode/test-electron style: VS Code (or code-server) loads this file as
// extensionTestsPath and calls run(); a rejected promise means failure.
import Mocha from 'mocha';

export async function run(): Promise<void> {
  // SMP_INHOST_GREP: only the tests whose title matches (an e2e file running one feature's in-host tests).
  // Without it: everything but the suite that needs an untrusted folder (agents.test.ts opens one for it).
  const only = process.env.SMP_INHOST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(only ? { grep: only } : { grep: 'agent tools, untrusted workspace', invert: true }) });
  mocha.suite.emit('pre-require', globalThis, 'inhost', mocha);
  // Loaded after the BDD globals exist; esbuild bundles them into out/inhost/index.js.
  await import('./activation.test');
  await import('./explorer.test');
  await import('./logs.test');
  await import('./build.test');
  await import('./run.test');
  await import('./actions.test');
  await import('./schedules.test');
  await import('./firsthour.test');
  await import('./agentTools.test');
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} in-host test(s) failed`)) : resolve()));
  });
}
