// A throwaway workspace folder shaped like the census example, for tests of definitions and requests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Creates `preprocessing.py` and `data/census.csv` in a fresh temp folder; with `sourceDir`, also a `src/` package
 * (train.py, pkg/__init__.py, requirements.txt) as a FrameworkProcessor job would upload. Remove it when done.
 */
export function definitionWorkspace(opts: { sourceDir?: boolean } = {}): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'smp-def-'));
  fs.writeFileSync(path.join(ws, 'preprocessing.py'), 'print("hi")\n');
  fs.mkdirSync(path.join(ws, 'data'));
  fs.writeFileSync(path.join(ws, 'data', 'census.csv'), 'a,b\n1,2\n');
  if (opts.sourceDir) {
    fs.mkdirSync(path.join(ws, 'src', 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'src', 'train.py'), 'import pkg\n');
    fs.writeFileSync(path.join(ws, 'src', 'pkg', '__init__.py'), '');
    fs.writeFileSync(path.join(ws, 'src', 'requirements.txt'), 'pandas\n');
  }
  return ws;
}
