// The named steps of an image build and push, in order, and how they are shown in the terminal.
import { t } from '../l10n';
import type { BuildSpec } from './spec';

export type StepId = 'identity' | 'repository' | 'login' | 'build' | 'tag' | 'push' | 'digest';

export interface PlannedStep {
  id: StepId;
  title: string;
}

/** The step's title in the terminal, in the user's language. */
export function stepTitle(id: StepId): string {
  switch (id) {
    case 'identity': return t('Resolve AWS account and region');
    case 'repository': return t('Ensure ECR repository');
    case 'login': return t('Log in to ECR');
    case 'build': return t('Build image');
    case 'tag': return t('Tag image');
    case 'push': return t('Push image');
    case 'digest': return t('Read pushed digest');
  }
}

/** Without push: only the build. With push: account, repository, login, build, tag, push, digest. */
export function planSteps(spec: Pick<BuildSpec, 'push'>): PlannedStep[] {
  const ids: StepId[] = spec.push ? ['identity', 'repository', 'login', 'build', 'tag', 'push', 'digest'] : ['build'];
  return ids.map((id) => ({ id, title: stepTitle(id) }));
}

/** `850 ms`, `4.2 s`, `1 min 20 s`: the one duration format of src/core (core/jobs.ts). */
export { formatDuration } from '../jobs';

/** Terminal text uses CRLF; streamed tool output may use bare LF. */
export function toTerminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Removes every occurrence of each secret from text (a last line of defence for anything shown or logged). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('********');
  return out;
}
