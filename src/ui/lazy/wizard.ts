// "Create Job Definition…" (lazy bundle): the wizard's steps load at its first use.
export { createDefinition } from '../definitionWizard';
