// Fails on circular imports between the project's own modules (src/), using esbuild's import graph.
import * as esbuild from 'esbuild';

const result = await esbuild.build({
  entryPoints: ['src/extension.ts', 'src/cli.ts'], bundle: true, write: false, metafile: true, outdir: 'out/cycles',
  platform: 'node', format: 'cjs', external: ['vscode'], packages: 'external', logLevel: 'error',
});
const graph = new Map();
for (const [file, info] of Object.entries(result.metafile.inputs)) {
  if (!file.startsWith('src/')) continue;
  graph.set(file, info.imports.map((i) => i.path).filter((p) => p.startsWith('src/')));
}
const state = new Map(); // 1 = on stack, 2 = done
const cycles = [];
function visit(node, stack) {
  state.set(node, 1); stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (state.get(next) === 1) cycles.push([...stack.slice(stack.indexOf(next)), next]);
    else if (!state.get(next)) visit(next, stack);
  }
  stack.pop(); state.set(node, 2);
}
for (const node of graph.keys()) if (!state.get(node)) visit(node, []);
if (cycles.length) {
  console.error(`Circular imports (${cycles.length}):`);
  for (const c of cycles) console.error('  ' + c.join(' -> '));
  process.exit(1);
}
console.log(`check-cycles: ${graph.size} modules, no circular imports`);
