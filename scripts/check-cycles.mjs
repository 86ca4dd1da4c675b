// Fails on circular imports between the project's own modules (src/). It reads every import and export-from of each
// module with the TypeScript scanner, type-only ones included: a type import still ties two modules' designs together,
// and a bundler's graph (which drops them) would hide such a cycle.
import ts from 'typescript';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = process.cwd();

/** The file a relative specifier names (`./x` → x.ts, x/index.ts, …), or undefined for packages and missing files. */
function resolveSpecifier(fromFile, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), spec);
  const candidates = [base, `${base}.ts`, `${base}.mts`, `${base}.js`, `${base}.mjs`, join(base, 'index.ts'), join(base, 'index.js')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Returns every import cycle among the files under `prefix` reachable from the entry points. */
export async function findCycles(entryPoints, prefix = 'src/') {
  const graph = new Map();
  const todo = entryPoints.map((e) => resolve(ROOT, e));
  while (todo.length) {
    const file = todo.pop();
    const rel = relative(ROOT, file).split('\\').join('/');
    if (graph.has(rel)) continue;
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const edges = [];
    for (const { fileName } of importedFiles) {
      const target = resolveSpecifier(file, fileName);
      if (!target) continue;
      const targetRel = relative(ROOT, target).split('\\').join('/');
      if (!targetRel.startsWith(prefix)) continue;
      edges.push(targetRel);
      todo.push(target);
    }
    if (rel.startsWith(prefix)) graph.set(rel, [...new Set(edges)]);
  }
  const state = new Map(); // 1 = on stack, 2 = done
  const cycles = [];
  const visit = (node, stack) => {
    state.set(node, 1); stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 1) cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.get(next)) visit(next, stack);
    }
    stack.pop(); state.set(node, 2);
  };
  for (const node of [...graph.keys()].sort()) if (!state.get(node)) visit(node, []);
  return { modules: graph.size, cycles };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { modules, cycles } = await findCycles(['src/extension.ts', 'src/cli/index.ts', 'src/aws/sdk.ts', 'src/aws/sdkExtra.ts']);
  if (cycles.length) {
    console.error(`Circular imports, type-only imports included (${cycles.length}):`);
    for (const c of cycles) console.error('  ' + c.join(' -> '));
    process.exit(1);
  }
  console.log(`check-cycles: ${modules} modules, no circular imports (type-only imports included)`);
}
