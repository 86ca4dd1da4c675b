// The named steps of an image build and push, in order, and how they are shown in the terminal.
import type { BuildSpec } from './spec';

export type StepId = 'identity' | 'repository' | 'login' | 'build' | 'tag' | 'push' | 'digest';

export interface PlannedStep {
  id: StepId;
  title: string;
}

const TITLES: Record<StepId, string> = {
  identity: 'Resolve AWS account and region',
  repository: 'Ensure ECR repository',
  login: 'Log in to ECR',
  build: 'Build image',
  tag: 'Tag image',
  push: 'Push image',
  digest: 'Read pushed digest',
};

export function stepTitle(id: StepId): string {
  return TITLES[id];
}

/** Without push: only the build. With push: account, repository, login, build, tag, push, digest. */
export function planSteps(spec: Pick<BuildSpec, 'push'>): PlannedStep[] {
  const ids: StepId[] = spec.push ? ['identity', 'repository', 'login', 'build', 'tag', 'push', 'digest'] : ['build'];
  return ids.map((id) => ({ id, title: TITLES[id] }));
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
