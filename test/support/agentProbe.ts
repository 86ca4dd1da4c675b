// A test-only extension that calls a language-model tool the way an agent's extension does: `vscode.lm.invokeTool`
// without a chat session, from a command ("Agent Probe: Invoke Tool"). The e2e tests run it in a normal workbench
// (the in-host test runner's workbench skips dialogs: it confirms them all), so the workbench shows the tool's
// confirmation as a modal dialog. The request is read from `<dir>/request.json` ({ id, name, input, theme? }) and the
// outcome written to `<dir>/result-<id>.json` ({ ok, text } or { ok: false, name, message }).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './paths';
import { run } from './proc';

export const PROBE_COMMAND_TITLE = 'Agent Probe: Invoke Tool';

const EXTENSION_JS = `const vscode = require('vscode');
const fs = require('fs');
const path = require('path');
exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('smpAgentProbe.invoke', async () => {
    const dir = process.env.SMP_AGENT_PROBE_DIR;
    const req = JSON.parse(fs.readFileSync(path.join(dir, 'request.json'), 'utf8'));
    if (req.theme) await vscode.workspace.getConfiguration('workbench').update('colorTheme', req.theme, vscode.ConfigurationTarget.Global);
    let out;
    try {
      const r = await vscode.lm.invokeTool(req.name, { input: req.input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
      out = { ok: true, text: r.content.map((p) => (typeof p.value === 'string' ? p.value : '')).join('') };
    } catch (e) {
      out = { ok: false, name: String(e && e.name), message: String(e && e.message) };
    }
    fs.writeFileSync(path.join(dir, 'result-' + req.id + '.json'), JSON.stringify(out));
  }));
};
`;

/** Builds the probe's .vsix in `dir` (with the project's vsce). */
export async function buildAgentProbe(dir: string): Promise<string> {
  const src = path.join(dir, 'agent-probe');
  fs.mkdirSync(src, { recursive: true });
  const manifest = {
    name: 'smp-test-agent-probe', displayName: 'Agent probe for the SageMaker Processing e2e tests', description: 'Calls a language-model tool as an agent would (test only).',
    publisher: 'smp-test', version: '0.0.1', license: 'MIT', engines: { vscode: '^1.95.0' }, main: './extension.js',
    activationEvents: ['onCommand:smpAgentProbe.invoke'],
    contributes: { commands: [{ command: 'smpAgentProbe.invoke', title: PROBE_COMMAND_TITLE }] },
  };
  fs.writeFileSync(path.join(src, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(src, 'extension.js'), EXTENSION_JS);
  fs.writeFileSync(path.join(src, 'README.md'), `${manifest.description}\n`);
  fs.writeFileSync(path.join(src, 'LICENSE'), 'MIT\n');
  const vsix = path.join(dir, `${manifest.name}.vsix`);
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  await run(process.execPath, [vsce, 'package', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: src });
  return vsix;
}
