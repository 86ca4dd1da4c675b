import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// No shell strings, in every spelling: `exec`/`execSync` may not be imported by name, child_process may only be
// imported by name (so `cp.exec` cannot be reached through a namespace, default import, require or import()), and no
// spawn option turns a shell on.
const CHILD_PROCESS = /^(node:)?child_process$/.source;
const noShellImports = ['child_process', 'node:child_process'].map((name) => ({
  name, importNames: ['exec', 'execSync'], message: 'Build no shell strings: use spawn/execFile with an argument array.',
}));
const noShellSyntax = [
  { selector: `ImportDeclaration[source.value=/${CHILD_PROCESS}/] > :matches(ImportNamespaceSpecifier, ImportDefaultSpecifier)`,
    message: 'Import child_process functions by name (spawn, execFile); a namespace or default import reaches exec.' },
  { selector: `CallExpression[callee.name='require'][arguments.0.value=/${CHILD_PROCESS}/]`,
    message: 'Import child_process functions by name (spawn, execFile) with an import declaration.' },
  { selector: `ImportExpression[source.value=/${CHILD_PROCESS}/]`,
    message: 'Import child_process functions by name (spawn, execFile) with an import declaration.' },
  { selector: "CallExpression[callee.property.name=/^(exec|execSync)$/][callee.object.name=/^(child_process|cp|childProcess)$/]",
    message: 'Build no shell strings: use spawn/execFile with an argument array.' },
  { selector: "Property[key.name='shell'][value.value!=false]",
    message: 'No shell: pass an argument array to spawn/execFile without the shell option.' },
];

const vscodeBan = { name: 'vscode', message: 'Only src/ui/ and src/extension.ts may import vscode; keep core, aws and local editor-free.' };
const vscodeOnlyInUi = { 'no-restricted-imports': ['error', { paths: [vscodeBan, ...noShellImports] }] };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'examples/**', 'bench/.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', __dirname: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', fetch: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', ...noShellSyntax],
      'no-restricted-imports': ['error', { paths: noShellImports }],
    },
  },
  { files: ['src/core/**', 'src/aws/**', 'src/local/**', 'src/cli/**'], rules: vscodeOnlyInUi },
  { files: ['src/core/**'], rules: { 'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'src/core is pure: no vscode.' }],
    patterns: [{ group: ['@aws-sdk/*', '../aws/*', '../local/*', '../ui/*', 'child_process', 'node:child_process'], message: 'src/core is pure: no AWS SDK, processes, or UI.' }],
  }] } },
  { files: ['test/unit/**', 'test/integration/**', 'test/support/**', 'bench/**', 'scripts/**'], rules: vscodeOnlyInUi },
);
