// Fails on circular imports between the project's own modules (src/), using esbuild's import graph.
import * as esbuild from 'esbuild';
import { pathToFileURL } from 'node:url';

/** Returns every import cycle among the files under `prefix` reachable from the entry points. */
export async function findCycles(entryPoints, prefix = 'src/') {
  const result = await esbuild.build({
    entryPoints, bundle: true, write: false, metafile: true, outdir: 'out/cycles',
    platform: 'node', format: 'cjs', external: ['vscode'], packages: 'external', logLevel: 'error',
  });
  const graph = new Map();
  for (const [file, info] of Object.entries(result.metafile.inputs)) {
    if (!file.startsWith(prefix)) continue;
    graph.set(file, info.imports.map((i) => i.path).filter((p) => p.startsWith(prefix)));
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
  for (const node of graph.keys()) if (!state.get(node)) visit(node, []);
  return { modules: graph.size, cycles };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { modules, cycles } = await findCycles(['src/extension.ts', 'src/cli.ts', 'src/aws/sdk.ts']);
  if (cycles.length) {
    console.error(`Circular imports (${cycles.length}):`);
    for (const c of cycles) console.error('  ' + c.join(' -> '));
    process.exit(1);
  }
  console.log(`check-cycles: ${modules} modules, no circular imports`);
}
