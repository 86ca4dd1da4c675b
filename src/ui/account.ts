// Which AWS account and region the extension talks to: the profile and region pickers (written to the settings the
// AWS clients follow; see Ctx.onDidChangeTarget).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { KNOWN_REGIONS, parseProfiles, profileFiles } from '../core/profiles';
import type { CommandFactory } from './commands';
import { t } from './l10n';
import { SECTION } from './settings';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Writes a setting where it is set now (folder, workspace), else in the user's settings. */
async function writeSetting(key: string, value: string | undefined): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const info = cfg.inspect(key);
  const target = info?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
    : info?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await cfg.update(key, value ?? '', target);
}

export const accountCommands: Record<string, CommandFactory> = {
  // A string argument (a profile name, '' for the SDK default chain) skips the quick pick.
  switchProfile: (ctx) => async (arg?: unknown) => {
    if (typeof arg === 'string') {
      await writeSetting('profile', arg.trim() || undefined);
      return;
    }
    const files = profileFiles(process.env, os.homedir());
    const read = (f: string) => {
      try {
        return fs.readFileSync(f, 'utf8');
      } catch {
        return undefined;
      }
    };
    const profiles = parseProfiles(read(files.config), read(files.credentials));
    const current = ctx.aws.current.profile;
    const items: (vscode.QuickPickItem & { profile?: string })[] = [
      { label: `$(globe) ${t('SDK default chain')}`, description: !current ? t('current') : undefined, detail: t('AWS_PROFILE, environment variables, SSO, instance roles…') },
      ...profiles.map((p) => ({
        label: p.name,
        profile: p.name,
        description: [p.name === current ? t('current') : '', p.region ?? '', p.kind !== 'unknown' ? p.kind : ''].filter(Boolean).join(' · '),
      })),
    ];
    const pick = await vscode.window.showQuickPick(items, {
      placeHolder: profiles.length ? t('AWS profile for SageMaker Processing') : t('No profiles in {0} or {1}', files.config, files.credentials),
    });
    if (!pick) return;
    await writeSetting('profile', pick.profile);
  },

  // A string argument (a region, '' for the default) skips the quick pick.
  switchRegion: (ctx) => async (arg?: unknown) => {
    if (typeof arg === 'string') {
      const r = arg.trim();
      if (r && !REGION.test(r)) {
        void vscode.window.showErrorMessage(t('"{0}" is not an AWS region (e.g. eu-west-1).', arg));
        return;
      }
      await writeSetting('region', r || undefined);
      return;
    }
    const current = ctx.tree.resolvedRegion;
    const items: (vscode.QuickPickItem & { region?: string; other?: boolean })[] = [
      { label: t('Default'), description: t('AWS_REGION or the profile\'s region') },
      ...KNOWN_REGIONS.map((r) => ({ label: r, region: r, description: r === current ? t('current') : undefined })),
      { label: t('Other…'), other: true },
    ];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: t('AWS region for SageMaker Processing') });
    if (!pick) return;
    let region = pick.region;
    if (pick.other) {
      region = await vscode.window.showInputBox({ prompt: t('AWS region'), validateInput: (v) => (REGION.test(v) ? undefined : t('e.g. eu-west-1')) });
      if (!region) return;
    }
    await writeSetting('region', region);
  },
};
