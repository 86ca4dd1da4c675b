// Compare Runs' commands, registered at activation as thin stubs: the comparison itself (src/ui/lazy/compare.ts, with
// its diff texts, code ETags and run numbers) loads on first use, out of the activation bundle.
import type { CommandFactory } from './commands';

const lazy = () => import('./lazy/compare');
const stub = (name: 'compareJobs' | 'compareWithDefinition' | 'compareWithLastSuccessful'): CommandFactory =>
  (ctx) => async (...args: unknown[]) => (await lazy()).compareCommands[name](ctx)(...(args as never[]));

export const compareCommands: Record<string, CommandFactory> = {
  compareJobs: stub('compareJobs'),
  compareWithDefinition: stub('compareWithDefinition'),
  compareWithLastSuccessful: stub('compareWithLastSuccessful'),
};
