import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeOnlyInUi = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'Only src/ui/ and src/extension.ts may import vscode; keep core, aws and local editor-free.' }],
  }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'examples/**', 'bench/.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', __dirname: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', fetch: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name=/^(exec|execSync)$/][callee.object.name='child_process']",
        message: 'Build no shell strings: use spawn/execFile with an argument array.',
      }],
    },
  },
  { files: ['src/core/**', 'src/aws/**', 'src/local/**', 'src/cli.ts'], rules: vscodeOnlyInUi },
  { files: ['src/core/**'], rules: { 'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'src/core is pure: no vscode.' }],
    patterns: [{ group: ['@aws-sdk/*', '../aws/*', '../local/*', '../ui/*', 'child_process', 'node:child_process'], message: 'src/core is pure: no AWS SDK, processes, or UI.' }],
  }] } },
  { files: ['test/unit/**', 'test/integration/**', 'test/support/**', 'bench/**', 'scripts/**'], rules: vscodeOnlyInUi },
);
