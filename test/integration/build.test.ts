// Image build and push against real parts: the private dockerd (legacy builder), moto's STS and ECR, and the TLS
// registry under the ECR-shaped host that accepts moto's token. The only census push is the first test (~1 GB).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { run } from '../support/proc';
import { DOCKER_CLI, loadBaseImage, startDockerd, type Dockerd } from '../support/dockerd';
import { namespaceFor, randomLoopbackIp, startRegistry, type Registry } from '../support/registry';
import { startMoto, useMotoEnv, TEST_ACCOUNT, TEST_REGION, type Moto } from '../support/moto';
import { ROOT, scratchDir } from '../support/paths';
import { AwsClients } from '../../src/aws/index';
import { ContainerCli } from '../../src/local/containerCli';
import { awsForBuild, BuildStepError, buildForRun, ensureImageBuilt, readBuilds, runImageBuild, type BuildAws, type BuildEvent } from '../../src/local/imageBuilder';
import { awsSubmitPorts } from '../../src/aws/submitPorts';
import { ImageNotFoundError, submitJob } from '../../src/core/submit';
import { resolveBuildSpec, type BuildInput } from '../../src/core/build/spec';

const ECR_HOST = `${TEST_ACCOUNT}.dkr.ecr.${TEST_REGION}.amazonaws.com`;
const PASSWORD = `${TEST_ACCOUNT}-auth-token`;
const AUTH = { user: 'AWS', password: PASSWORD };

/**
 * A docker credential helper (a real one, in sh): docker login hands it the secret on stdin and waits for it, so
 * while it runs `docker login` is alive. It snapshots every process's command line at that moment, then stores the
 * credential for the push. The password it looks for is read from a file (grep -f), never from argv.
 */
function credentialHelper(dir: string): { binDir: string; configDir: string; snapshot: string } {
  const binDir = path.join(dir, 'bin');
  const configDir = path.join(dir, 'dockercfg');
  const snapshot = path.join(dir, 'cmdlines.txt');
  fs.mkdirSync(binDir, { recursive: true });
  fs.mkdirSync(configDir, { recursive: true });
  fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ credsStore: 'smptest' }));
  fs.writeFileSync(path.join(dir, 'pw'), PASSWORD + '\n');
  const script = `#!/bin/sh
D='${dir}'
case "$1" in
  store)
    cat > "$D/creds.json"
    for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < "$f" 2>/dev/null; echo; done > "$D/cmdlines.txt"
    if grep -q -F -f "$D/pw" "$D/cmdlines.txt"; then echo LEAKED >> "$D/cmdlines.txt"; fi
    ;;
  get) cat "$D/creds.json" 2>/dev/null || { echo "credentials not found in native keychain"; exit 1; } ;;
  erase) rm -f "$D/creds.json" ;;
  list) echo '{}' ;;
esac
`;
  fs.writeFileSync(path.join(binDir, 'docker-credential-smptest'), script, { mode: 0o755 });
  return { binDir, configDir, snapshot };
}

function collect(): { events: BuildEvent[]; emit: (e: BuildEvent) => void; text: () => string; steps: () => string[] } {
  const events: BuildEvent[] = [];
  return {
    events,
    emit: (e) => events.push(e),
    text: () => events.map((e) => (e.type === 'output' || e.type === 'info' ? e.text : e.type === 'end' ? `${e.title}: ${e.ok ? 'ok' : e.error}\n` : '')).join(''),
    steps: () => events.filter((e) => e.type === 'end').map((e) => `${(e as { step: string }).step}:${(e as { ok: boolean }).ok ? 'ok' : 'failed'}`),
  };
}

describe('image build and push (dockerd + moto ECR + TLS registry)', () => {
  let moto: Moto;
  let reg: Registry;
  let docker: Dockerd;
  let restoreEnv: () => void;
  let aws: AwsClients;
  let helper: ReturnType<typeof credentialHelper>;
  let cli: ContainerCli;
  let workspace: string;
  const tiny = 'buildtest/tiny:latest';

  before(async () => {
    moto = await startMoto();
    restoreEnv = useMotoEnv(moto);
    const ip = randomLoopbackIp();
    reg = await startRegistry({ user: 'AWS', password: PASSWORD, tls: { host: ECR_HOST, ip } });
    docker = await startDockerd({ wrap: namespaceFor(ECR_HOST, ip, reg.caCert!, scratchDir('ns')), baseImage: true });
    await loadBaseImage(docker);
    const dir = scratchDir('tiny');
    fs.writeFileSync(path.join(dir, 'hello.txt'), 'tiny\n');
    fs.writeFileSync(path.join(dir, 'true'), '');
    const tar = `${dir}.tar`;
    await run('tar', ['-C', dir, '-cf', tar, '.']);
    await docker.docker(['import', tar, tiny]);
    helper = credentialHelper(scratchDir('cred'));
    aws = new AwsClients({ endpointUrl: moto.endpoint, region: TEST_REGION });
    cli = new ContainerCli({
      cli: DOCKER_CLI,
      dockerConfig: helper.configDir,
      env: { DOCKER_HOST: docker.env.DOCKER_HOST, PATH: `${helper.binDir}:${process.env.PATH}` },
    });
    workspace = scratchDir('build-ws');
  });
  after(async () => {
    aws?.dispose();
    restoreEnv?.();
    await docker?.stop();
    await reg?.stop();
    await moto?.stop();
  });

  function tinyContext(name: string, dockerfile: string, files: Record<string, string> = {}): string {
    const dir = path.join(workspace, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
    for (const [f, c] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), c);
    return dir;
  }

  it('builds examples/census on the offline base image, creates the repository, logs in via stdin and pushes', async () => {
    const spec = resolveBuildSpec({
      context: path.join(ROOT, 'examples', 'census'), repository: 'sagemaker-processing-census', tag: 'it',
      buildArgs: { BASE_IMAGE: 'local/python-base' },
    }, workspace);
    assert.equal(spec.platform, 'linux/amd64');
    const c = collect();
    const r = await runImageBuild(spec, { cli, aws: awsForBuild(aws), folder: workspace, emit: c.emit });
    assert.deepEqual(c.steps(), ['identity:ok', 'repository:ok', 'login:ok', 'build:ok', 'tag:ok', 'push:ok', 'digest:ok']);
    const text = c.text();
    assert.match(text, /created .*sagemaker-processing-census/);
    assert.match(text, /--platform linux\/amd64/);
    assert.match(text, /--build-arg BASE_IMAGE /);
    assert.doesNotMatch(text, /--build-arg BASE_IMAGE=/, 'the value is passed in the environment, not on the command line');
    assert.match(text, /Step \d+\/\d+ : FROM \$\{BASE_IMAGE\}/);
    assert.match(text, /Successfully built [0-9a-f]+/);
    assert.match(r.digest!, /^sha256:[0-9a-f]{64}$/);
    assert.equal(r.imageUri, `${ECR_HOST}/sagemaker-processing-census@${r.digest}`);

    // The registry has the tag, pointing at the pushed digest, and the digest itself.
    const byTag = await reg.api('/v2/sagemaker-processing-census/manifests/it', AUTH);
    assert.equal(byTag.status, 200);
    assert.equal(byTag.headers['docker-content-digest'], r.digest);
    assert.equal((await reg.api(`/v2/sagemaker-processing-census/manifests/${r.digest}`, AUTH)).status, 200);
    // The repository exists in ECR.
    assert.equal((await (await aws.ecr()).describeRepository('sagemaker-processing-census'))?.name, 'sagemaker-processing-census');

    // The password: the login was seen running, and it was on no command line, in no output, in no log.
    const cmdlines = fs.readFileSync(helper.snapshot, 'utf8');
    assert.match(cmdlines, new RegExp(`login --username AWS --password-stdin ${ECR_HOST.replace(/\./g, '\\.')}`));
    assert.ok(!cmdlines.includes('LEAKED'), 'the password was on a command line');
    assert.ok(!cmdlines.includes(PASSWORD));
    assert.ok(!text.includes(PASSWORD), 'the password reached the terminal output');
    assert.ok(!JSON.stringify(c.events).includes(PASSWORD));
    assert.ok(!docker.service.log().includes(PASSWORD), 'the password is in the dockerd log');
    assert.ok(!moto.log().includes(PASSWORD), 'the password is in the moto log');
    assert.ok(!fs.readFileSync(path.join(helper.configDir, 'config.json'), 'utf8').includes(PASSWORD));

    // The "last pushed" record.
    const rec = readBuilds(workspace).records[`${ECR_HOST}/sagemaker-processing-census:it`];
    assert.equal(rec?.digest, r.digest);
    // Unchanged content: ensureImageBuilt reuses the pushed digest without building.
    const again = collect();
    const e = await ensureImageBuilt(spec, { cli, aws: awsForBuild(aws), folder: workspace, emit: again.emit });
    assert.equal(e.built, false);
    assert.equal(e.imageUri, r.imageUri);
    assert.deepEqual(again.steps(), []);
  });

  it('ensureImageBuilt rebuilds and pushes only when the Dockerfile or its context changed', async () => {
    const ctx = tinyContext('tiny-ok', `FROM ${tiny}\nCOPY app.txt /app.txt\n`, { 'app.txt': 'v1\n', '.dockerignore': 'notes.md\n' });
    const spec = resolveBuildSpec({ context: ctx, repository: 'team/tiny', tag: 'v' }, workspace);
    const deps = { cli, aws: awsForBuild(aws), folder: workspace };
    const first = await ensureImageBuilt(spec, deps);
    assert.equal(first.built, true);
    assert.match(first.imageUri, new RegExp(`^${ECR_HOST.replace(/\./g, '\\.')}/team/tiny@sha256:[0-9a-f]{64}$`));
    assert.equal((await reg.api('/v2/team/tiny/manifests/v', AUTH)).headers['docker-content-digest'], first.record.digest);

    fs.writeFileSync(path.join(ctx, 'notes.md'), 'ignored by .dockerignore\n');
    const same = await ensureImageBuilt(spec, deps);
    assert.equal(same.built, false);
    assert.equal(same.imageUri, first.imageUri);

    fs.writeFileSync(path.join(ctx, 'app.txt'), 'v2\n');
    const changed = await ensureImageBuilt(spec, deps);
    assert.equal(changed.built, true);
    assert.notEqual(changed.imageUri, first.imageUri);
    assert.equal((await reg.api('/v2/team/tiny/manifests/v', AUTH)).headers['docker-content-digest'], changed.record.digest);
  });

  async function failing(input: BuildInput, awsPort: BuildAws = awsForBuild(aws)): Promise<{ err: BuildStepError; text: string; steps: string[] }> {
    const c = collect();
    const spec = resolveBuildSpec(input, workspace);
    const before = JSON.stringify(readBuilds(workspace));
    const err = await runImageBuild(spec, { cli, aws: awsPort, folder: workspace, emit: c.emit }).then(
      () => assert.fail('the build should have failed'),
      (e: unknown) => e as BuildStepError,
    );
    assert.ok(err instanceof BuildStepError, String(err));
    assert.equal(JSON.stringify(readBuilds(workspace)), before, 'a failed build changed the last pushed records');
    return { err, text: c.text(), steps: c.steps() };
  }

  it('build then run: a job with "build" is built and pushed when changed, and the job runs the pushed digest', async () => {
    const ctx = tinyContext('tiny-run', `FROM ${tiny}\nCOPY app.txt /app.txt\n`, { 'app.txt': 'run v1\n' });
    fs.writeFileSync(path.join(workspace, 'job.py'), 'print(1)\n');
    const text = JSON.stringify({ version: '1', jobs: { tinyjob: {
      script: 'job.py', role: `arn:aws:iam::${TEST_ACCOUNT}:role/R`, build: { context: path.relative(workspace, ctx), repository: 'team/tiny-run', tag: 'v' },
    } } });
    const out: string[] = [];
    const hook = (b: Parameters<typeof buildForRun>[0], c: { key?: string }) => buildForRun(b, { aws, folder: workspace, job: c.key ?? 'job', cli, write: (t) => out.push(t) });
    const first = await submitJob(awsSubmitPorts(aws), { definitionText: text, workspaceFolder: workspace, jobKey: 'tinyjob', resolveBuildImage: hook });
    const pushed = (await reg.api('/v2/team/tiny-run/manifests/v', AUTH)).headers['docker-content-digest'];
    assert.equal(first?.request.AppSpecification.ImageUri, `${ECR_HOST}/team/tiny-run@${pushed}`);
    assert.match(out.join(''), /Push image/);
    const d = await (await aws.sagemaker()).describeProcessingJob(first!.job.jobName);
    assert.equal(d.AppSpecification?.ImageUri, `${ECR_HOST}/team/tiny-run@${pushed}`);
    assert.match(first!.job.jobName, /^tiny-run-\d{4}-/);

    // Unchanged: no build, the same digest.
    out.length = 0;
    const second = await submitJob(awsSubmitPorts(aws), { definitionText: text, workspaceFolder: workspace, jobKey: 'tinyjob', resolveBuildImage: hook });
    assert.equal(second?.request.AppSpecification.ImageUri, first?.request.AppSpecification.ImageUri);
    assert.doesNotMatch(out.join(''), /Build image/);
    assert.match(out.join(''), /unchanged since its last push/);

    // Without the build (--no-build / buildBeforeRun off) `<repo>:<tag>` is looked up in ECR first. moto's ECR never
    // sees registry pushes (it keeps no images), so there the tag is missing and the submission stops before uploading.
    await assert.rejects(submitJob(awsSubmitPorts(aws), { definitionText: text, workspaceFolder: workspace, jobKey: 'tinyjob' }),
      (e: unknown) => e instanceof ImageNotFoundError && /repository "team\/tiny-run" has no image tagged "v"/.test(e.message));
  });

  it('a Dockerfile error fails the build step with docker\'s own error', async () => {
    const ctx = tinyContext('broken', `FROM ${tiny}\nCOPY missing-file.txt /x\n`);
    const { err, text, steps } = await failing({ context: ctx, repository: 'broken' });
    assert.equal(err.step, 'build');
    assert.deepEqual(steps, ['identity:ok', 'repository:ok', 'login:ok', 'build:failed']);
    assert.match(text, /COPY failed: .*missing-file\.txt/);
    assert.match(err.message, /build failed \(exit 1\)/);
  });

  it('a missing Dockerfile or an undeclared build arg fail the build step before anything runs', async () => {
    const ctx = tinyContext('nodockerfile', `FROM ${tiny}\n`);
    const missing = await failing({ context: ctx, dockerfile: 'nodockerfile/Other.Dockerfile', repository: 'x1' });
    assert.equal(missing.err.step, 'build');
    assert.match(missing.err.message, /Dockerfile does not exist: .*Other\.Dockerfile/);
    assert.deepEqual(missing.steps, ['build:failed']);
    const badArg = await failing({ context: ctx, repository: 'x1', buildArgs: { BASE_IMAG: 'x' } });
    assert.match(badArg.err.message, /"BASE_IMAG" is not declared with ARG/);
  });

  it('a refused login (wrong or expired token) fails at the login step; an unreachable registry says so', async () => {
    const real = awsForBuild(aws);
    const ctx = tinyContext('login', `FROM ${tiny}\n`);
    const wrong = await failing({ context: ctx, repository: 'login' }, { ...real, authorization: async (s) => ({ ...(await real.authorization(s)), password: 'expired-token-value' }) });
    assert.equal(wrong.err.step, 'login');
    assert.match(wrong.err.message, /refused the ECR credentials/);
    assert.match(wrong.text, /401|unauthorized/i);
    const unreachable = await failing({ context: ctx, repository: 'login' }, { ...real, authorization: async (s) => ({ ...(await real.authorization(s)), proxyEndpoint: 'https://127.0.0.1:1' }) });
    assert.equal(unreachable.err.step, 'login');
    assert.match(unreachable.err.message, /unreachable/);
  });

  it('cancelling stops the build and its child processes', async () => {
    const marker = `cancel-${Date.now()}`;
    const ctx = tinyContext('slow', `FROM local/python-base\nRUN echo ${marker} && sleep 60\n`);
    const spec = resolveBuildSpec({ context: ctx, repository: 'slow', push: false }, workspace);
    const ac = new AbortController();
    const err = await runImageBuild(spec, {
      cli, aws: awsForBuild(aws), folder: workspace, signal: ac.signal,
      emit: (e) => { if (e.type === 'output' && e.text.includes('Running in')) ac.abort(); },
    }).then(() => assert.fail('should be cancelled'), (e: BuildStepError) => e);
    assert.equal(err.cancelled, true);
    // No docker CLI of this build is left.
    const left = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
        return cmd.includes(ctx) && cmd.includes('build');
      } catch {
        return false;
      }
    });
    assert.deepEqual(left, []);
  });

  it('build-arg values are never on a command line: `--build-arg NAME` with the value in the CLI\'s environment, and the build receives it', async () => {
    const token = `tok-${Date.now()}-s3cr3t`;
    const ctx = tinyContext('buildarg', 'FROM local/python-base\nARG SMP_TEST_TOKEN\nRUN echo "token-sha=$(printf \'%s\' "$SMP_TEST_TOKEN" | sha256sum | cut -d\' \' -f1)"\n');
    const spec = resolveBuildSpec({ context: ctx, repository: 'buildarg', push: false, buildArgs: { SMP_TEST_TOKEN: token } }, workspace);
    const c = collect();
    // While the RUN step runs, `docker build` is alive: snapshot every process's command line at that moment.
    let snapshot: string[] | undefined;
    await runImageBuild(spec, {
      cli, aws: awsForBuild(aws), folder: workspace,
      emit: (e) => {
        c.emit(e);
        if (!snapshot && e.type === 'output' && e.text.includes('Running in')) {
          snapshot = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map((p) => {
            try {
              return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
            } catch {
              return '';
            }
          });
        }
      },
    });
    assert.ok(snapshot, 'the build was seen running');
    const build = snapshot.filter((cmd) => cmd.includes(ctx) && / build /.test(cmd));
    assert.equal(build.length, 1, 'the docker build process was in the snapshot');
    assert.ok(!snapshot.some((cmd) => cmd.includes(token)), 'the value was on a command line');
    assert.match(build[0], /--build-arg SMP_TEST_TOKEN /);
    const text = c.text();
    assert.ok(!text.includes(token), 'the value reached the terminal output');
    assert.match(text, /\$ \S*docker build .*--build-arg SMP_TEST_TOKEN /);
    // The build got the value: the RUN step printed its hash.
    assert.match(text, new RegExp(`token-sha=${createHash('sha256').update(token).digest('hex')}`));
  });

});
