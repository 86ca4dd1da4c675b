// Size budgets, enforced because sizes are deterministic (timings never are; they live in `npm run bench`).
// It reads the production build: `npm test` runs `npm run package` before the unit tier. See bench/budgets.ts for
// what "bundle" means here.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { BUDGETS, measureSizes, formatBytes } from '../../bench/budgets';

describe('size budgets (production build)', () => {
  const sizes = measureSizes();
  const hint = sizes.missing.length ? ` (missing: ${sizes.missing.join(', ')} — run \`npm run package\` first)` : '';

  it('finds the built files (run `npm run package` first)', () => {
    assert.deepEqual(sizes.missing, [], `built files missing: ${sizes.missing.join(', ')} — run \`npm run package\` first`);
  });

  it(`bundle: the code the extension loads (dist/extension.js + the lazy dist/aws-sdk.js) ≤ ${formatBytes(BUDGETS.bundleBytes)}`, () => {
    assert.ok(sizes.bundleFiles.every((f) => f.bytes > 0), `bundle not measured${hint}`);
    assert.ok(sizes.bundleBytes <= BUDGETS.bundleBytes,
      `bundle is ${formatBytes(sizes.bundleBytes)} (${sizes.bundleFiles.map((f) => `${f.file} ${formatBytes(f.bytes)}`).join(' + ')}), over ${formatBytes(BUDGETS.bundleBytes)}`);
  });

  it(`activation bundle: dist/extension.js alone ≤ ${formatBytes(BUDGETS.activationBytes)} (the SDK must stay lazy)`, () => {
    const ext = sizes.bundleFiles.find((f) => f.file === 'dist/extension.js');
    assert.ok(ext && ext.bytes > 0 && !sizes.missing.includes(ext.file), `dist/extension.js not measured${hint}`);
    assert.ok(ext.bytes <= BUDGETS.activationBytes, `dist/extension.js is ${formatBytes(ext.bytes)}, over ${formatBytes(BUDGETS.activationBytes)}: is the AWS SDK bundled into it?`);
  });

  it(`lazy bundle of the rarely used clients: dist/aws-sdk-extra.js ≤ ${formatBytes(BUDGETS.extraBytes)}`, () => {
    assert.ok(sizes.extraBytes > 0, `dist/aws-sdk-extra.js not measured${hint}`);
    assert.ok(sizes.extraBytes <= BUDGETS.extraBytes, `dist/aws-sdk-extra.js is ${formatBytes(sizes.extraBytes)}, over ${formatBytes(BUDGETS.extraBytes)}`);
  });

  it(`lazy bundle of the job page's clients: dist/aws-sdk-page.js ≤ ${formatBytes(BUDGETS.pageBytes)}`, () => {
    assert.ok(sizes.pageBytes > 0, `dist/aws-sdk-page.js not measured${hint}`);
    assert.ok(sizes.pageBytes <= BUDGETS.pageBytes, `dist/aws-sdk-page.js is ${formatBytes(sizes.pageBytes)}, over ${formatBytes(BUDGETS.pageBytes)}`);
  });

  it(`.vsix ≤ ${formatBytes(BUDGETS.vsixBytes)}`, () => {
    assert.ok(sizes.vsixBytes > 0, `no .vsix measured${hint}`);
    assert.ok(sizes.vsixBytes <= BUDGETS.vsixBytes, `dist/sagemaker-processing.vsix is ${formatBytes(sizes.vsixBytes)}, over ${formatBytes(BUDGETS.vsixBytes)}`);
  });
});
