// Parses Python source with the user's interpreter's own `ast` module: a small helper (PY_AST_HELPER, passed with
// `-c`, a constant) reads the source on stdin and prints the tree as JSON. No shell; the source never reaches argv.
import { spawn } from 'node:child_process';
import type { PyAstResult } from '../core/sdkImport/pyAst';
import { t } from '../core/l10n';

/**
 * Prints `{"ok": true, "tree": …}` or `{"ok": false, "error": …, "line": n}`. Each node is `{"_type": ClassName,
 * fields…, "_line", "_col", "_end" (last line), "_src"}` (`_src`: the expression's text, up to 300 characters). Constants that JSON cannot
 * carry (bytes, complex, Ellipsis) become `{"_type": "Unsupported"}`.
 */
export const PY_AST_HELPER = String.raw`
import ast, json, sys
src = sys.stdin.buffer.read().decode("utf-8", "replace")
def conv(n):
    if isinstance(n, ast.AST):
        if isinstance(n, ast.Constant) and not (n.value is None or isinstance(n.value, (bool, int, float, str))):
            out = {"_type": "Unsupported"}
        else:
            out = {"_type": type(n).__name__}
            for f in n._fields:
                out[f] = conv(getattr(n, f, None))
        if isinstance(n, ast.Constant) and isinstance(n.value, float) and n.value != n.value:
            out = {"_type": "Unsupported"}
        if hasattr(n, "lineno"):
            out["_line"] = n.lineno
            out["_col"] = n.col_offset
            out["_end"] = getattr(n, "end_lineno", None) or n.lineno
        if isinstance(n, ast.expr):
            seg = ast.get_source_segment(src, n)
            if seg is not None:
                out["_src"] = seg if len(seg) <= 300 else seg[:297] + "..."
        return out
    if isinstance(n, list):
        return [conv(x) for x in n]
    if isinstance(n, float) and (n != n or n in (float("inf"), float("-inf"))):
        return None
    if n is None or isinstance(n, (bool, int, float, str)):
        return n
    return None
try:
    tree = ast.parse(src)
except SyntaxError as e:
    print(json.dumps({"ok": False, "error": str(e.msg), "line": e.lineno}))
    sys.exit(0)
sys.setrecursionlimit(10000)
print(json.dumps({"ok": True, "tree": conv(tree)}))
`;

/** Runs PY_AST_HELPER with `python` on `source`. Rejects when Python cannot be started or fails. */
export function parsePython(python: string, source: string, o: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<PyAstResult> {
  return new Promise((resolve, reject) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(python, ['-I', '-c', PY_AST_HELPER], { shell: false, windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'], signal: o.signal });
    } catch (err) {
      reject(err);
      return;
    }
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill(), o.timeoutMs ?? 30_000);
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => (out += d));
    child.stderr!.on('data', (d: string) => (err += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject((e as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(t('{0} was not found on the PATH', python)) : e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(err.trim().split('\n').pop() || `exit ${code}`);
        resolve(JSON.parse(last) as PyAstResult);
      } catch (e) {
        reject(new Error(t('Python could not parse the code: {0}', (e as Error).message)));
      }
    });
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(Buffer.from(source, 'utf8'));
  });
}

/** The first of `candidates` that runs this helper (Python 3.8+: ast.get_source_segment). */
export async function findPythonForAst(candidates: string[]): Promise<string | undefined> {
  for (const py of candidates) {
    try {
      const r = await parsePython(py, 'x = 1\n', { timeoutMs: 20_000 });
      if (r.ok) return py;
    } catch {
      // next candidate
    }
  }
  return undefined;
}
