// One run pipeline (#18): from package.json to the code that creates a job is at most three hops — the command id in
// the command table (src/ui/commandTable.ts) → its factory → a function of the run pipeline (src/ui/runPipeline.ts)
// → core/submit's creating call (submitPrepared, rerunJob). Nothing else in src/ui or src/extension.ts creates a job.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/paths';

/** The functions of core/submit that send CreateProcessingJob (through its ports). */
const CREATORS = ['submitPrepared', 'rerunJob'];
/** The commands that create a job. */
const CREATING_COMMANDS = ['sagemakerProcessing.runJob', 'sagemakerProcessing.rerunJob'];

type Sources = Record<string, string>;

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

/** `name` → the module it is imported from, for `import { a, b as c } from '…'` lines. */
function imports(src: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of src.matchAll(/^import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';/gm)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()!.replace(/^type\s+/, '');
      if (name) out.set(name, m[2]);
    }
  }
  return out;
}

/** The names of `from` that the text calls (`name(`). */
function callsFrom(body: string, src: string, from: string): string[] {
  return [...imports(src)].filter(([name, mod]) => mod === from && new RegExp(`\\b${name}\\(`).test(body)).map(([name]) => name);
}

/** The hops from a command id to core/submit's creating call, or the first place the chain breaks. */
export function hops(id: string, files: Sources): { chain: string[]; problem?: string } {
  const table = files['src/ui/commandTable.ts'];
  const entry = new RegExp(`'${id.replace(/\./g, '\\.')}':\\s*(\\w+)\\.(\\w+),`).exec(table);
  if (!entry) return { chain: [], problem: `${id} is not in the command table` };
  const [, object, member] = entry;
  const mod = imports(table).get(object);
  const file = mod && `src/ui/${mod.replace(/^\.\//, '')}.ts`;
  const chain = [`package.json ${id}`, `commandTable.ts ${object}.${member}`];
  if (!file || !files[file]) return { chain, problem: `${object} is not imported from a module of src/ui` };
  const src = files[file];
  const at = src.indexOf(`\n  ${member}: `);
  if (at < 0) return { chain, problem: `${file} has no factory ${member}` };
  const body = src.slice(at, src.indexOf('\n  },', at));
  const steps = callsFrom(body, src, './runPipeline');
  if (!steps.length) return { chain, problem: `${file} ${member} calls nothing of the run pipeline` };
  const pipeline = files['src/ui/runPipeline.ts'];
  for (const step of steps) {
    const start = pipeline.search(new RegExp(`^export async function ${step}\\(`, 'm'));
    if (start < 0) continue;
    const fn = pipeline.slice(start, pipeline.indexOf('\n}\n', start));
    const creators = callsFrom(fn, pipeline, '../core/submit').filter((c) => CREATORS.includes(c));
    if (creators.length) return { chain: [...chain, `runPipeline.ts ${step}`, `core/submit.ts ${creators[0]}`] };
  }
  return { chain, problem: `the run pipeline's ${steps.join(', ')} reach no creating call of core/submit (${CREATORS.join(', ')})` };
}

/** Files of src/ui (and extension.ts) that create a job some other way than through the run pipeline. */
export function bypasses(files: Sources): string[] {
  const found: string[] = [];
  for (const [file, src] of Object.entries(files)) {
    if (/createProcessingJob\s*\(/.test(src)) found.push(`${file} calls createProcessingJob`);
    if (file !== 'src/ui/runPipeline.ts') {
      for (const [name, mod] of imports(src)) if (mod === '../core/submit' && [...CREATORS, 'submitJob'].includes(name)) found.push(`${file} imports ${name} from core/submit`);
    }
  }
  return found;
}

function sources(): Sources {
  const files: Sources = { 'src/extension.ts': read('src/extension.ts') };
  for (const n of fs.readdirSync(path.join(ROOT, 'src', 'ui'))) if (n.endsWith('.ts')) files[`src/ui/${n}`] = read(`src/ui/${n}`);
  return files;
}

test('Run as Processing Job and Re-run reach core/submit in three hops from package.json', () => {
  const files = sources();
  const manifest = JSON.parse(read('package.json')) as { contributes: { commands: { command: string }[] } };
  for (const id of CREATING_COMMANDS) {
    assert.ok(manifest.contributes.commands.some((c) => c.command === id), `${id} is contributed`);
    const r = hops(id, files);
    assert.equal(r.problem, undefined, `${id}: ${r.chain.join(' → ')}`);
    assert.equal(r.chain.length, 4, r.chain.join(' → ')); // package.json + 3 hops
    assert.equal(r.chain[3].startsWith('core/submit.ts '), true);
  }
  assert.deepEqual(hops('sagemakerProcessing.rerunJob', files).chain, [
    'package.json sagemakerProcessing.rerunJob', 'commandTable.ts jobActionCommands.rerunJob', 'runPipeline.ts rerun', 'core/submit.ts rerunJob',
  ]);
  assert.deepEqual(bypasses(files), []);
});

test('the check fails when Re-run creates the job itself, or a command stops going through the pipeline', () => {
  const files = sources();
  const actions = files['src/ui/jobActions.ts'];
  const direct = actions.replace('return rerun(ctx, j.job.name);', "const sm = await ctx.aws.sagemaker();\n    await sm.createProcessingJob({ ProcessingJobName: 'x' } as never);");
  assert.notEqual(direct, actions);
  const broken = { ...files, 'src/ui/jobActions.ts': direct };
  assert.match(hops('sagemakerProcessing.rerunJob', broken).problem ?? '', /calls nothing of the run pipeline/);
  assert.deepEqual(bypasses(broken), ['src/ui/jobActions.ts calls createProcessingJob']);
  const pipeline = files['src/ui/runPipeline.ts'];
  const noSubmit = pipeline.replace(/submitPrepared\(awsSubmitPorts/, 'Promise.resolve(awsSubmitPorts');
  assert.match(hops('sagemakerProcessing.runJob', { ...files, 'src/ui/runPipeline.ts': noSubmit }).problem ?? '', /reach no creating call of core\/submit/);
  const sideDoor = actions.replace("import { rerun } from './runPipeline';", "import { rerun } from './runPipeline';\nimport { rerunJob } from '../core/submit';");
  assert.deepEqual(bypasses({ ...files, 'src/ui/jobActions.ts': sideDoor }), ['src/ui/jobActions.ts imports rerunJob from core/submit']);
});

/** The local run commands that do not go through the run pipeline's local prepare step (which confines the paths). */
export function localBypasses(files: Sources): string[] {
  const found: string[] = [];
  const pipeline = files['src/ui/runPipeline.ts'];
  const start = pipeline.indexOf('export async function prepareLocalRun(');
  const prep = start < 0 ? '' : pipeline.slice(start, pipeline.indexOf('\n}\n', start));
  if (!/\bconfineLocalJob\(/.test(prep)) found.push('prepareLocalRun does not confine the job to the workspace folder');
  for (const [file, member] of [['src/ui/localJobs.ts', 'runLocally'], ['src/ui/localDebug.ts', 'debugLocally']]) {
    const src = files[file];
    const at = src.indexOf(`\n  ${member}: `);
    const body = at < 0 ? '' : src.slice(at, src.indexOf('\n  },', at));
    if (!callsFrom(body, src, './runPipeline').includes('prepareLocalRun')) found.push(`${file} ${member} does not use prepareLocalRun`);
    if (/\bresolveLocalJob\(/.test(src)) found.push(`${file} resolves a local job itself`);
  }
  return found;
}

test('Run Locally and Debug Locally share the local prepare step, which confines the job to the workspace folder', () => {
  const files = sources();
  assert.deepEqual(localBypasses(files), []);
  const pipeline = files['src/ui/runPipeline.ts'];
  const unconfined = pipeline.replace('  await confineLocalJob(resolved, ws, allowOutsideWorkspace());\n', '');
  assert.notEqual(unconfined, pipeline);
  assert.deepEqual(localBypasses({ ...files, 'src/ui/runPipeline.ts': unconfined }), ['prepareLocalRun does not confine the job to the workspace folder']);
  const debug = files['src/ui/localDebug.ts'];
  const ownResolve = debug.replace("const prepared = given ?? await prepareLocalRun(ctx, target as RunTarget, t('Debug Locally in Docker'));", "const prepared = resolveLocalJob(text, key, { workspaceDir: '' });");
  assert.notEqual(ownResolve, debug);
  assert.deepEqual(localBypasses({ ...files, 'src/ui/localDebug.ts': ownResolve }), [
    'src/ui/localDebug.ts debugLocally does not use prepareLocalRun', 'src/ui/localDebug.ts resolves a local job itself',
  ]);
});
