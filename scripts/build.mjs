// esbuild bundles: the extension (cjs, node, vscode external), the CLI, and the in-host test suite.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, writeFileSync, chmodSync } from 'node:fs';

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

// The extension loads the AWS SDK wrappers lazily from their own bundles: src/aws/sdk.ts → dist/aws-sdk.js (jobs,
// runs, logs, images), src/aws/sdkExtra.ts → dist/aws-sdk-extra.js (schedules, IAM: only some features use them).
const LAZY = { sdk: 'aws-sdk.js', sdkExtra: 'aws-sdk-extra.js', sdkPage: 'aws-sdk-page.js' };
const lazySdk = {
  name: 'lazy-aws-sdk',
  setup(build) {
    build.onResolve({ filter: /^\.\/(sdk|sdkExtra|sdkPage)$/ }, (args) =>
      args.importer.endsWith('src/aws/index.ts') ? { path: args.path.slice(2), namespace: 'lazy-aws-sdk' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'lazy-aws-sdk' }, (args) => ({ contents: `module.exports = require("./${LAZY[args.path]}");`, loader: 'js' }));
    build.onResolve({ filter: /^\.\/aws-sdk(-extra|-page)?\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};
// Features whose UI code is large and used only on demand (a webview page, language-model tools, …) live in
// src/ui/lazy/<name>.ts and are loaded with `import('./lazy/<name>')` from src/ui: each becomes dist/lazy-<name>.js,
// required at first use, so activation does not parse it. A lazy bundle has its own copy of the modules it imports;
// importing src/ui/l10n.ts installs the translator in that copy too.
const lazyFeatures = (existsSync('src/ui/lazy') ? readdirSync('src/ui/lazy') : []).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
const lazyFeature = {
  name: 'lazy-feature',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\/(ui\/)?lazy\/[A-Za-z0-9_-]+$/ }, (args) => {
      const name = args.path.split('/').pop();
      return lazyFeatures.includes(name) ? { path: name, namespace: 'lazy-feature' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-feature' }, (args) => ({ contents: `module.exports = require("./lazy-${args.path}.js");`, loader: 'js' }));
    build.onResolve({ filter: /^\.\/lazy-[A-Za-z0-9_-]+\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [lazySdk, lazyFeature] },
  ...lazyFeatures.map((name) => ({ ...common, entryPoints: [`src/ui/lazy/${name}.ts`], outfile: `dist/lazy-${name}.js`, plugins: [lazySdk] })),
  { ...common, entryPoints: ['src/aws/sdk.ts'], outfile: 'dist/aws-sdk.js' },
  { ...common, entryPoints: ['src/aws/sdkExtra.ts'], outfile: 'dist/aws-sdk-extra.js' },
  // The job page's clients (CloudWatch, Price List): src/aws/sdkPage.ts → dist/aws-sdk-page.js.
  { ...common, entryPoints: ['src/aws/sdkPage.ts'], outfile: 'dist/aws-sdk-page.js' },
  { ...common, entryPoints: ['src/cli/index.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
// Webview pages' own scripts (src/webview/<name>.ts → dist/webview-<name>.js, plus .css when they import styles):
// browser bundles, loaded by the page through asWebviewUri under its Content-Security-Policy; no remote content.
for (const page of ['jobPage']) {
  builds.push({ ...common, platform: 'browser', format: 'iife', target: 'es2022', external: [], entryPoints: [`src/webview/${page}.ts`], outfile: `dist/webview-${page}.js` });
}
// The in-host (extension-host) Mocha suite, outside dist/ so it is never shipped in the .vsix.
builds.push({ ...common, minify: false, entryPoints: ['test/e2e/inhost/index.ts'], outfile: 'out/inhost/index.js', external: ['vscode', 'mocha'] });

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  writeFileSync('dist/meta.json', JSON.stringify(results[0].metafile));
  chmodSync('dist/cli.js', 0o755);
}
