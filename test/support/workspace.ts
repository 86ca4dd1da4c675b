// A throwaway workspace folder shaped like the census example, for tests of definitions and requests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, scratchDir } from './paths';

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

/** A copy of the census example (examples/census) in a fresh scratch folder: `<scratch>/<prefix>-…/census`. */
export function censusCopy(prefix: string): string {
  const ws = path.join(scratchDir(prefix), 'census');
  fs.cpSync(path.join(ROOT, 'examples', 'census'), ws, { recursive: true });
  return ws;
}

/** The scratch folders of one test file, removed together by `removeAll()` in its `after`. */
export function scratchSet(): { dirs: string[]; make(prefix: string): string; census(prefix: string): string; removeAll(): void } {
  const dirs: string[] = [];
  return {
    dirs,
    make(prefix) {
      const d = scratchDir(prefix);
      dirs.push(d);
      return d;
    },
    census(prefix) {
      const ws = censusCopy(prefix);
      dirs.push(path.dirname(ws));
      return ws;
    },
    removeAll() {
      for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}
