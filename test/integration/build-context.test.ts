// Issue 22 item 10: the census example's build context stays small — its .dockerignore keeps the tool's own output
// folders (.sagemaker-local/ of local runs, outputs/ of downloads) out of what `docker build` sends. Real parts: the
// private dockerd (legacy builder, which reports "Sending build context to Docker daemon  <size>"). Without a
// .dockerignore the tool leaves those folders out itself (a filtered copy of the context).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCKER_CLI, startDockerd, type Dockerd } from '../support/dockerd';
import { censusCopy } from '../support/workspace';
import { scratchDir } from '../support/paths';
import { ContainerCli } from '../../src/local/containerCli';

/** Bytes from the legacy builder's "Sending build context to Docker daemon  3.4MB". */
function sentBytes(out: string): number {
  const m = /Sending build context to Docker daemon\s+([\d.]+)\s*([kKMG]?B)/.exec(out);
  assert.ok(m, `no context size in:\n${out}`);
  const unit = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 }[m[2]] ?? 1;
  return Number(m[1]) * unit;
}

describe('build context of the census example', () => {
  let docker: Dockerd;
  let cli: ContainerCli;
  before(async () => {
    docker = await startDockerd();
    cli = new ContainerCli({ cli: DOCKER_CLI, dockerConfig: docker.env.DOCKER_CONFIG, env: { DOCKER_HOST: docker.env.DOCKER_HOST, DOCKER_BUILDKIT: '0' } });
  });
  after(async () => {
    await docker?.stop();
  });

  it('outputs/ and .sagemaker-local/ (3 MB after a few runs) are not sent; without the .dockerignore they would be', async () => {
    const ws = censusCopy('ctx');
    // What a few local runs and a download leave in the workspace (incompressible, so sizes are what is sent).
    const junk = (rel: string, bytes: number) => {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), Buffer.from(Array.from({ length: bytes }, (_, i) => (i * 7919 + 13) % 251)));
    };
    junk('.sagemaker-local/census-preprocessing-local-1/train/train.csv', 1_600_000);
    junk('.sagemaker-local/census-preprocessing-local-2/train/train.csv', 1_000_000);
    junk('outputs/census-preprocessing-2026-12-07-19-31-22-123/train/train.csv', 800_000);
    let source = 0;
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else source += fs.statSync(path.join(d, e.name)).size;
      }
    };
    walk(ws);
    assert.ok(source > 3_400_000, `the workspace holds ${source} bytes`);
    // A Dockerfile that copies the whole context, outside it (so the check is about the context alone).
    const dfDir = scratchDir('ctx-df');
    const dockerfile = path.join(dfDir, 'Dockerfile');
    fs.writeFileSync(dockerfile, 'FROM scratch\nCOPY . /ctx\n');
    const build = async (tag: string) => {
      const r = await cli.build({ dockerfile, context: ws, tags: [tag] }, {});
      return sentBytes(r.result.stdout + r.result.stderr);
    };
    const small = await build('ctx/with-ignore:1');
    console.log(`build context: ${small} bytes sent with the .dockerignore, of ${source} in the folder`);
    assert.ok(small < 300_000, `with the example's .dockerignore: ${small} bytes sent (the example itself is ~200 kB)`);
    // The control: a .dockerignore that keeps everything (it alone decides) sends the output folders too.
    fs.writeFileSync(path.join(ws, '.dockerignore'), '# keep everything\n');
    const big = await build('ctx/keep-all:1');
    console.log(`build context: ${big} bytes sent with a keep-all .dockerignore`);
    assert.ok(big > 3_400_000, `with a keep-all .dockerignore: ${big} bytes sent`);
  });

  it('a context with no .dockerignore leaves out outputs/ and .sagemaker-local/: size sent and files in the image', async () => {
    const ws = scratchDir('ctx-default');
    const files: Record<string, number> = {
      'process.py': 2_000, 'lib/util.py': 1_500, 'data/outputs.csv': 900, 'sub/outputs/keep.txt': 700,
      '.sagemaker-local/job-local-1/train/train.csv': 1_600_000, 'outputs/job-2026/train/train.csv': 900_000,
    };
    for (const [rel, bytes] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), Buffer.from(Array.from({ length: bytes }, (_, i) => (i * 7919 + 13) % 251)));
    }
    fs.chmodSync(path.join(ws, 'process.py'), 0o755);
    const dfDir = scratchDir('ctx-default-df');
    const dockerfile = path.join(dfDir, 'Dockerfile');
    fs.writeFileSync(dockerfile, 'FROM scratch\nCOPY . /ctx\n');
    const lines: string[] = [];
    const r = await cli.build({ dockerfile, context: ws, tags: ['ctx/default:1'] }, { onOutput: (text) => lines.push(text) });
    const sent = sentBytes(r.result.stdout + r.result.stderr);
    console.log(`build context without .dockerignore: ${sent} bytes sent`);
    assert.ok(sent < 50_000, `${sent} bytes sent (the kept files are ~5 kB, the output folders 2.5 MB)`);
    assert.match(lines.join(''), /Build context: \.sagemaker-local\/, outputs\/ left out/);
    // What the image holds: copied out of a container of it, listed here.
    const c = (await cli.exec(['create', 'ctx/default:1', '/none'])).stdout.trim();
    const out = scratchDir('ctx-default-out');
    try {
      await cli.exec(['cp', `${c}:/ctx`, out]);
    } finally {
      await cli.exec(['rm', c], { allowFailure: true });
    }
    const found: string[] = [];
    const walk = (d: string, rel: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const r2 = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(path.join(d, e.name), r2);
        else found.push(r2);
      }
    };
    walk(path.join(out, 'ctx'), '');
    assert.deepEqual(found.sort(), ['data/outputs.csv', 'lib/util.py', 'process.py', 'sub/outputs/keep.txt']);
    assert.equal(fs.statSync(path.join(out, 'ctx', 'process.py')).mode & 0o111, 0o111, 'the executable bit is kept');
    // The workspace itself is untouched.
    assert.ok(fs.existsSync(path.join(ws, 'outputs/job-2026/train/train.csv')) && fs.existsSync(path.join(ws, '.sagemaker-local')));
  });
});
