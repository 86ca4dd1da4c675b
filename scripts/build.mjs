// esbuild bundles: the extension (cjs, node, vscode external), the CLI, and the in-host test suite.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
mkdirSync('dist', { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // The AWS SDK's optional runtime deps that are never used in node.
  external: ['vscode', '@aws-sdk/signature-v4-crt', 'aws-crt'],
  // jsonc-parser's "main" is a UMD build with runtime require()s esbuild cannot follow: bundle its ESM build.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

// The extension loads the AWS SDK wrappers (src/aws/sdk.ts) lazily from their own bundle, dist/aws-sdk.js.
const lazySdk = {
  name: 'lazy-aws-sdk',
  setup(build) {
    build.onResolve({ filter: /^\.\/sdk$/ }, (args) =>
      args.importer.endsWith('src/aws/index.ts') ? { path: 'sdk', namespace: 'lazy-aws-sdk' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'lazy-aws-sdk' }, () => ({ contents: 'module.exports = require("./aws-sdk.js");', loader: 'js' }));
    build.onResolve({ filter: /^\.\/aws-sdk\.js$/ }, () => ({ path: './aws-sdk.js', external: true }));
  },
};
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [lazySdk] },
  { ...common, entryPoints: ['src/aws/sdk.ts'], outfile: 'dist/aws-sdk.js' },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
// The in-host (extension-host) Mocha suite, outside dist/ so it is never shipped in the .vsix.
builds.push({ ...common, minify: false, entryPoints: ['test/e2e/inhost/index.ts'], outfile: 'out/inhost/index.js', external: ['vscode', 'mocha'] });

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  writeFileSync('dist/meta.json', JSON.stringify(results[0].metafile));
  chmodSync('dist/cli.js', 0o755);
}
