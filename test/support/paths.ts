import * as path from 'node:path';
import * as fs from 'node:fs';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CACHE = process.env.SMP_CACHE ?? path.join(ROOT, '.cache');
export const VENV = path.join(CACHE, 'venv');
export const CODE_SERVER_DIR = path.join(CACHE, 'code-server', 'node_modules', 'code-server');
export const BASE_IMAGE_TAR = path.join(CACHE, 'base-image', 'python-base.tar');
export const BASE_IMAGE = 'local/python-base:latest';

/** A fresh scratch folder under .cache/tmp (sockets and long paths stay out of the user's /tmp). */
export function scratchDir(prefix: string): string {
  const base = path.join(CACHE, 'tmp');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `${prefix}-`));
}

/** Fails loudly: a missing piece of the harness must never turn into a skipped, green tier. */
export function requireFile(file: string, what: string): string {
  if (!fs.existsSync(file)) throw new Error(`${what} is missing (${file}). Run \`npm run setup\` (scripts/setup.sh) first.`);
  return file;
}
