// The deterministic size budgets, shared by test/unit/budgets.test.ts (which enforces them) and the benchmark
// report (which prints them beside the aims).
//
// What "bundle" means: the JavaScript the extension host loads from this extension. Activation loads only
// dist/extension.js; the AWS SDK and our wrappers are a separate bundle, dist/aws-sdk.js, loaded lazily on the
// first AWS call. Both count: the bundle budget is their sum. dist/extension.js alone also has a budget of its
// own, so that a static import of the SDK (which would move ~0.8 MB onto the activation path) fails the test.
// The wrappers only some features use (schedules, a role given by name) are a third lazy bundle,
// dist/aws-sdk-extra.js, with a budget of its own: it is loaded only when such a feature is used.
// The CLI (dist/cli.js) is shipped in the .vsix but never loaded by the extension: it counts in the .vsix only.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

export const BUDGETS = {
  /** dist/extension.js + dist/aws-sdk.js. */
  bundleBytes: 1.5 * 1024 * 1024,
  /** dist/aws-sdk-extra.js: EventBridge Scheduler, SageMaker Pipelines and IAM, loaded only by the features using them. */
  extraBytes: 1 * 1024 * 1024,
  /** dist/aws-sdk-page.js: CloudWatch and the Price List API, loaded only when a job page opens. */
  pageBytes: 0.75 * 1024 * 1024,
  /** dist/extension.js alone: what activation parses. */
  activationBytes: 300 * 1024,
  /** dist/sagemaker-processing.vsix. */
  vsixBytes: 2 * 1024 * 1024,
} as const;

export const BUNDLE_FILES = ['dist/extension.js', 'dist/aws-sdk.js'] as const;
export const EXTRA_FILE = 'dist/aws-sdk-extra.js';
export const PAGE_FILE = 'dist/aws-sdk-page.js';
export const VSIX_FILE = 'dist/sagemaker-processing.vsix';

export interface Sizes {
  bundleFiles: { file: string; bytes: number }[];
  bundleBytes: number;
  extraBytes: number;
  pageBytes: number;
  vsixBytes: number;
  /** Files that should exist after `npm run package` but do not. */
  missing: string[];
}

function size(rel: string, missing: string[]): number {
  try {
    return fs.statSync(path.join(ROOT, rel)).size;
  } catch {
    missing.push(rel);
    return 0;
  }
}

export function measureSizes(): Sizes {
  const missing: string[] = [];
  const bundleFiles = BUNDLE_FILES.map((file) => ({ file, bytes: size(file, missing) }));
  const extraBytes = size(EXTRA_FILE, missing);
  const pageBytes = size(PAGE_FILE, missing);
  const vsixBytes = size(VSIX_FILE, missing);
  return { bundleFiles, bundleBytes: bundleFiles.reduce((s, f) => s + f.bytes, 0), extraBytes, pageBytes, vsixBytes, missing };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}
