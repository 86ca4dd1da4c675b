// node:fs as it is, plus the globSync Node 20 lacks (see register.mjs).
export * from 'node:fs';

export function globSync() {
  throw new Error('fs.globSync needs Node 22 (only the conformance suite\'s tier-check uses it)');
}
