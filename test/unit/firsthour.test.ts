// The rough edges a new user meets in the first hour (issue 17), each checked where it is decided.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadDefinition, resolveJob } from '../../src/core/definition/resolve';
import { toPythonSdk } from '../../src/core/definition/export';
import { planSaveAsDefinition } from '../../src/core/saveDefinition';
import type { ProcessingJobDescriptionLike } from '../../src/core/jobDetails';
import { definitionWorkspace } from '../support/workspace';
import { readManifest } from '../support/manifest';

const ROOT = path.join(__dirname, '..', '..');
const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';
const NOW = new Date(Date.UTC(2026, 10, 27, 9, 5, 7, 42));

let ws: string;
before(() => {
  ws = definitionWorkspace({ sourceDir: true });
});
after(() => fs.rmSync(ws, { recursive: true, force: true }));

const ctx = () => ({ workspaceFolder: ws, region: 'us-east-1', account: '123456789012', now: NOW, env: {} });

describe('Copy as Python SDK code', () => {
  it('names runs from base_job_name (no fixed job_name), leaves default outputs to the SDK and uses relative paths', () => {
    const def = loadDefinition(JSON.stringify({ version: '1', defaults: { role: ROLE }, jobs: { c: { script: 'preprocessing.py', image: 'img:1', baseJobName: 'census',
      inputs: [{ name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }],
      outputs: [{ name: 'train', source: '/opt/ml/processing/train' }, { name: 'kept', source: '/opt/ml/processing/kept', destination: 's3://mine/kept' }] } } }), { workspaceFolder: ws });
    const job = resolveJob(def, 'c', ctx());
    const code = toPythonSdk(job, 'census', { workspaceFolder: ws });
    assert.doesNotMatch(code, /(^|[^_])job_name=/m);
    assert.doesNotMatch(code, /2026-11-27/, 'no timestamped name anywhere');
    assert.match(code, /base_job_name="census",/);
    assert.ok(!code.includes(ws), `no absolute workspace path:\n${code}`);
    assert.match(code, /code="preprocessing\.py",/);
    assert.match(code, /source="data\/census\.csv"/);
    assert.match(code, /ProcessingOutput\(output_name="train", source="\/opt\/ml\/processing\/train"\)/);
    assert.match(code, /ProcessingOutput\(output_name="kept", source="\/opt\/ml\/processing\/kept", destination="s3:\/\/mine\/kept"\)/);
    // Without a base name in the definition, the generated name's base (not the timestamped name) is used.
    assert.match(toPythonSdk(job, undefined, { workspaceFolder: ws }), /base_job_name="census",/);
  });

  it('a sourceDir job packs a relative source_dir', () => {
    const def = loadDefinition(JSON.stringify({ version: '1', defaults: { role: ROLE }, jobs: { s: { script: 'train.py', sourceDir: 'src', image: 'i:1' } } }), { workspaceFolder: ws });
    const code = toPythonSdk(resolveJob(def, 's', ctx()), undefined, { workspaceFolder: ws });
    assert.match(code, /source_dir="src",/);
    assert.ok(!code.includes(ws));
  });
});

describe('Save as Job Definition', () => {
  const desc = (name: string): ProcessingJobDescriptionLike => ({
    ProcessingJobName: name,
    RoleArn: ROLE,
    AppSpecification: { ImageUri: 'img:1', ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'] },
    ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
  });
  const existing = JSON.stringify({ version: '1', jobs: { census: { script: 'preprocessing.py', image: 'img:0' }, other: { script: 'train.py', image: 'img:0' } } });

  it('finds the job that already runs the script, instead of adding a second one', () => {
    const plan = planSaveAsDefinition(desc('census-2026-11-27-10-00-00-000'), existing, { workspaceFolder: ws, fileExists: (p) => fs.existsSync(p) });
    assert.deepEqual(plan.sameScript, ['census']);
    assert.equal(plan.job.script, 'preprocessing.py');
    assert.equal(planSaveAsDefinition(desc('x'), undefined, { workspaceFolder: ws, fileExists: () => true }).sameScript.length, 0);
  });

  it('tells the user to put the script in place only when it is not there', () => {
    const there = planSaveAsDefinition(desc('census'), undefined, { workspaceFolder: ws, fileExists: () => true });
    assert.deepEqual(there.notes.filter((n) => /put the script/.test(n)), []);
    const missing = planSaveAsDefinition(desc('census'), undefined, { workspaceFolder: ws, fileExists: () => false });
    assert.equal(missing.notes.filter((n) => /put the script/.test(n)).length, 1);
  });
});

describe('package.json', () => {
  const pkg = readManifest();

  it('has no placeholder repository and a CHANGELOG', () => {
    assert.equal(pkg.repository, undefined, 'no invented repository');
    assert.ok(!JSON.stringify(pkg).includes('example.invalid'));
    const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    assert.match(changelog, new RegExp(`## ${pkg.version.replace(/\./g, '\\.')}`));
  });
});

describe('Upload Outputs after a local run', () => {
  it('gives outputs bound for the default location the default bucket, and leaves the others alone', async () => {
    const { withDefaultDestinations } = await import('../../src/core/localDestinations');
    const text = `{
      // comments are fine
      "version": "1",
      "jobs": {
        "prep": { "script": "p.py", "outputs": [
          { "name": "train", "source": "/opt/ml/processing/train" },
          { "name": "mine", "source": "/opt/ml/processing/mine", "destination": "s3://\${accountId}-bucket/x" },
          { "name": "stated", "source": "/opt/ml/processing/stated", "destination": "s3://stated/y" }
        ] },
        "own": { "script": "p.py", "bucket": "b-\${accountId}", "outputs": [{ "name": "train", "source": "/opt/ml/processing/train" }] }
      }
    }`;
    const recorded = [{ name: 'train' }, { name: 'mine' }, { name: 'stated', destination: 's3://stated/y' }];
    const o = { bucket: 'sagemaker-us-east-1-123456789012', jobName: 'prep-2026-11-27-10-00-00-000' };
    assert.deepEqual(withDefaultDestinations(recorded, text, 'prep', o), [
      { name: 'train', destination: 's3://sagemaker-us-east-1-123456789012/prep-2026-11-27-10-00-00-000/output/train' },
      { name: 'mine' },
      { name: 'stated', destination: 's3://stated/y' },
    ]);
    assert.deepEqual(withDefaultDestinations([{ name: 'train' }], text, 'own', o), [{ name: 'train' }]);
    assert.deepEqual(withDefaultDestinations([{ name: 'train' }], undefined, 'prep', o), [{ name: 'train' }]);
  });
});

describe('wording: code lenses and menus say the same', () => {
  it('every code lens that runs a contributed command starts with that command\'s title', () => {
    const pkg = readManifest();
    const titles = new Map<string, string>(pkg.contributes.commands.map((c: { command: string; title: string }) => [c.command, c.title]));
    const uiDir = path.join(ROOT, 'src', 'ui');
    let checked = 0;
    for (const f of fs.readdirSync(uiDir).filter((x) => x.endsWith('.ts'))) {
      const src = fs.readFileSync(path.join(uiDir, f), 'utf8');
      // new vscode.CodeLens(range, { title: '$(icon) Text…', command: 'sagemakerProcessing.x', … }), or with the text
      // localized: title: `$(icon) ${t('Text…', …)}`
      for (const m of src.matchAll(/CodeLens\([^,]+,\s*\{\s*title:\s*(?:['`]\$\([a-z-]+\)\s*([^'`]*)['`]|`\$\([a-z-]+\)\s*\$\{t\('([^']*)'[^`]*`),\s*command:\s*'([^']+)'/g)) {
        const text = m[1] ?? m[2];
        const want = titles.get(m[3]);
        assert.ok(want, `${f}: ${m[3]} is a contributed command`);
        assert.ok(text.startsWith(want.replace(/…$/, '')), `${f}: lens "${text}" should read like the command "${want}"`);
        checked++;
      }
    }
    assert.ok(checked >= 5, `found the lenses (${checked})`);
  });

  it('no "Processing job" / "Run locally" spellings of the commands in menus or lenses', () => {
    const pkgText = ['package.json', 'package.nls.json'].map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
    // Strings only (comments may say what they like): '…', "…" and `…` literals of src/ui.
    const literals = fs.readdirSync(path.join(ROOT, 'src', 'ui'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).flatMap((f) =>
      [...fs.readFileSync(path.join(ROOT, 'src', 'ui', f), 'utf8').matchAll(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g)].map((m) => `${f}: ${m[0]}`));
    for (const wrong of [/Run as Processing job/, /\bRun locally\b/, /Create job definition/, /\bEdit definition\b/]) {
      assert.doesNotMatch(pkgText, wrong);
      assert.deepEqual(literals.filter((l) => wrong.test(l)), []);
    }
  });
});

describe('Open in AWS Console', () => {
  it('says why instead of opening the console for a job at a custom endpoint', async () => {
    const { consoleTarget, customEndpoint } = await import('../../src/core/console');
    assert.equal(customEndpoint(undefined, {}), undefined);
    assert.equal(customEndpoint('http://127.0.0.1:5000', {}), 'http://127.0.0.1:5000');
    assert.equal(customEndpoint('', { AWS_ENDPOINT_URL: 'http://localhost:4566' }), 'http://localhost:4566');
    assert.equal(customEndpoint('', { AWS_ENDPOINT_URL_SAGEMAKER: 'https://api.sagemaker.us-east-1.amazonaws.com' }), undefined);
    assert.equal(customEndpoint('https://vpce-1.api.sagemaker.eu-west-1.vpce.amazonaws.com', {}), undefined);
    const real = consoleTarget('j', 'eu-west-1', undefined, undefined);
    assert.ok('url' in real && real.url.startsWith('https://eu-west-1.console.aws.amazon.com/'));
    const custom = consoleTarget('j', 'eu-west-1', undefined, 'http://127.0.0.1:5000');
    assert.ok('reason' in custom && /custom endpoint http:\/\/127\.0\.0\.1:5000/.test(custom.reason));
  });
});

describe('relative times in the tree', () => {
  it('the next redraw is exactly when the label changes, for ages from seconds to weeks', async () => {
    const { formatRelative, msUntilRelativeChange } = await import('../../src/core/jobs');
    const then = new Date(Date.UTC(2026, 10, 1));
    const ages = [0, 1_000, 44_000, 44_499, 44_500, 90_000, 59 * 60_000, 60 * 60_000, 89 * 60_000 + 29_000, 5 * 3_600_000 + 123_456, 23.4 * 3_600_000, 36 * 3_600_000, 9 * 86_400_000 + 777];
    for (const age of ages) {
      const now = new Date(then.getTime() + age);
      const label = formatRelative(then, now);
      const ms = msUntilRelativeChange(then, now);
      assert.ok(ms >= 1);
      assert.equal(formatRelative(then, new Date(now.getTime() + ms - 1)), label, `age ${age}: still "${label}" just before`);
      assert.notEqual(formatRelative(then, new Date(now.getTime() + ms)), label, `age ${age}: changes after ${ms} ms`);
    }
  });
});

describe('walkthrough', () => {
  const pkg = readManifest();
  const commands = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
  const walkthrough = pkg.contributes.walkthroughs?.[0];

  it('walks the seed\'s story: profile and region, definition, local run, image, job, logs, outputs', () => {
    assert.ok(walkthrough, 'a walkthrough is contributed');
    assert.deepEqual(walkthrough.steps.map((s: { id: string }) => s.id), ['target', 'definition', 'notebook', 'local', 'build', 'run', 'logs', 'outputs']);
  });

  it('every step links to contributed commands, has its image, and completes on a command or an outcome the code sets', async () => {
    const { WALKTHROUGH_KEYS } = await import('../../src/ui/walkthroughKeys');
    const keys = new Set<string>(Object.values(WALKTHROUGH_KEYS));
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
    for (const step of walkthrough.steps as { id: string; description: string; media: { svg?: string; image?: string }; completionEvents: string[] }[]) {
      const links = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
      assert.ok(links.length >= 1, `${step.id}: links to a command`);
      for (const l of links) assert.ok(commands.has(l), `${step.id}: ${l} is contributed`);
      const media = step.media.svg ?? step.media.image!;
      assert.ok(fs.statSync(path.join(ROOT, media)).size > 1000, `${step.id}: ${media} exists`);
      assert.match(ignore, /^!media\/walkthrough\/\*\*$/m, 'the images are packaged');
      assert.ok(step.completionEvents.length >= 1, `${step.id}: completes`);
      for (const e of step.completionEvents) {
        const [kind, what] = e.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(commands.has(what), `${step.id}: ${what} is contributed`);
        else if (kind === 'onContext') assert.ok(keys.has(what), `${step.id}: ${what} is set by the code`);
        else assert.fail(`${step.id}: unexpected completion event ${e}`);
      }
    }
  });
});
