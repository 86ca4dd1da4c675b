import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  BuildSpecError, digestRef, dockerfileArgs, registryFromEndpoint, registryHost, repositoryProblem, resolveBuildSpec,
  tagRef, undeclaredBuildArgs,
} from '../../src/core/build/spec';
import { buildContentHash, contextIgnoreRules, isIgnored, parseDockerignore, type ContextFile } from '../../src/core/build/hash';
import { formatDuration, planSteps, redact, toTerminal } from '../../src/core/build/plan';
import { makeRecord, parseBuildsFile, serializeBuildsFile, upToDate, withRecord } from '../../src/core/build/record';
import { ContainerCli, engineKind, parsePushDigest, versionAtLeast } from '../../src/local/containerCli';

const D1 = 'sha256:' + 'a'.repeat(64);
const D2 = 'sha256:' + 'b'.repeat(64);

describe('build spec', () => {
  it('resolves defaults against the workspace folder', () => {
    const s = resolveBuildSpec({ repository: 'census', context: 'img', buildArgs: { BASE_IMAGE: 'x', N: 3 as unknown as string } }, '/ws');
    assert.deepEqual(s, {
      job: undefined, dockerfile: path.join('/ws/img', 'Dockerfile'), context: '/ws/img', repository: 'census', tag: 'latest',
      platform: 'linux/amd64', buildArgs: { BASE_IMAGE: 'x', N: '3' }, push: true,
    });
    assert.equal(resolveBuildSpec({ repository: 'a/b', dockerfile: 'docker/Dockerfile.gpu', push: false }, '/ws').dockerfile, '/ws/docker/Dockerfile.gpu');
  });

  it('lists every problem: repository name, tag, platform, build arg names', () => {
    assert.throws(() => resolveBuildSpec({ repository: 'My_Repo', tag: '-bad', platform: 'amd64', buildArgs: { '1X': 'y', 'A-B': 'z' } }, '/ws'), (e: BuildSpecError) => {
      assert.equal(e.problems.length, 5);
      assert.match(e.message, /"My_Repo" is not a valid ECR repository name/);
      assert.match(e.message, /tag "-bad"/);
      assert.match(e.message, /platform "amd64"/);
      assert.match(e.message, /build arg "1X"/);
      return true;
    });
    // Build-arg values travel in the container CLI's environment: names the CLI or the loader read for themselves are refused.
    assert.throws(() => resolveBuildSpec({ repository: 'census', buildArgs: { DOCKER_HOST: 'tcp://evil:2375', path: '/tmp', LD_PRELOAD: '/x.so', BASE_IMAGE: 'ok', HTTP_PROXY: 'http://p:3128' } }, '/ws'), (e: BuildSpecError) => {
      assert.deepEqual(e.problems.map((p) => /"(\w+)" cannot be used/.exec(p)?.[1]), ['DOCKER_HOST', 'path', 'LD_PRELOAD']);
      return true;
    });
    assert.match(repositoryProblem(undefined)!, /required/);
    assert.equal(repositoryProblem('team/census-image_v1.2'), undefined);
    assert.ok(repositoryProblem('a//b'));
    assert.ok(repositoryProblem('-a'));
  });

  it('names registries and references', () => {
    assert.equal(registryHost('123456789012', 'eu-west-1'), '123456789012.dkr.ecr.eu-west-1.amazonaws.com');
    assert.equal(registryHost('1', 'cn-north-1'), '1.dkr.ecr.cn-north-1.amazonaws.com.cn');
    assert.equal(registryFromEndpoint('https://1.dkr.ecr.us-east-1.amazonaws.com/'), '1.dkr.ecr.us-east-1.amazonaws.com');
    assert.equal(registryFromEndpoint('https://127.0.0.1:5000'), '127.0.0.1:5000');
    assert.equal(tagRef('r', 'a/b', 't'), 'r/a/b:t');
    assert.equal(digestRef('r', 'a', D1), `r/a@${D1}`);
  });

  it('finds build args the Dockerfile does not declare', () => {
    const df = '# c\nARG BASE_IMAGE=python:3.12-slim\nFROM ${BASE_IMAGE}\narg  A B=1 \\\n  C\nRUN echo\n';
    assert.deepEqual([...dockerfileArgs(df)].sort(), ['A', 'B', 'BASE_IMAGE', 'C']);
    assert.deepEqual(undeclaredBuildArgs(df, { BASE_IMAGE: 'x', HTTP_PROXY: 'p', BASE_IMAG: 'typo' }), ['BASE_IMAG']);
  });
});

describe('.dockerignore and the content hash', () => {
  it('a context without .dockerignore leaves out the tool\'s own top-level output folders; one with it decides alone', () => {
    const none = contextIgnoreRules(undefined);
    for (const rel of ['outputs', 'outputs/job/train/a.csv', '.sagemaker-local', '.sagemaker-local/builds.json']) assert.equal(isIgnored(rel, none), true, rel);
    for (const rel of ['process.py', 'sub/outputs/x.csv', 'outputs.csv', 'data/.sagemaker-local/x']) assert.equal(isIgnored(rel, none), false, rel);
    const own = contextIgnoreRules('# keep all\n');
    assert.equal(isIgnored('outputs/job/a.csv', own), false);
    assert.equal(isIgnored('.sagemaker-local/x', own), false);
  });

  const rules = parseDockerignore('# comment\n\n.git\n*.md\n!README.md\n**/__pycache__\n/data/*.csv\n./build/\n');
  it('ignores roughly as docker does', () => {
    assert.ok(isIgnored('.git', rules));
    assert.ok(isIgnored('.git/HEAD', rules));
    assert.ok(isIgnored('notes.md', rules));
    assert.ok(!isIgnored('README.md', rules));
    assert.ok(!isIgnored('docs/notes.md', rules), '*.md matches the top level only');
    assert.ok(isIgnored('a/b/__pycache__/x.pyc', rules));
    assert.ok(isIgnored('data/census.csv', rules));
    assert.ok(!isIgnored('data/census.json', rules));
    assert.ok(isIgnored('build/out.bin', rules));
    assert.ok(!isIgnored('src/app.py', rules));
  });

  it('changes with content, mode, Dockerfile, platform and build args, not with file order', () => {
    const files: ContextFile[] = [{ rel: 'a.py', executable: false, sha256: '1' }, { rel: 'b/c.txt', executable: false, sha256: '2' }];
    const spec = { platform: 'linux/amd64', buildArgs: { A: '1' } };
    const h = buildContentHash(spec, 'FROM x', 'Dockerfile', files);
    assert.match(h, /^sha256:[0-9a-f]{64}$/);
    assert.equal(buildContentHash(spec, 'FROM x', 'Dockerfile', [...files].reverse()), h);
    assert.notEqual(buildContentHash(spec, 'FROM y', 'Dockerfile', files), h);
    assert.notEqual(buildContentHash({ ...spec, platform: 'linux/arm64' }, 'FROM x', 'Dockerfile', files), h);
    assert.notEqual(buildContentHash({ ...spec, buildArgs: { A: '2' } }, 'FROM x', 'Dockerfile', files), h);
    assert.notEqual(buildContentHash(spec, 'FROM x', 'Dockerfile', [files[0], { ...files[1], sha256: '3' }]), h);
    assert.notEqual(buildContentHash(spec, 'FROM x', 'Dockerfile', [files[0], { ...files[1], executable: true }]), h);
    assert.notEqual(buildContentHash(spec, 'FROM x', 'Dockerfile', [files[0]]), h);
  });
});

describe('steps and records', () => {
  it('plans all steps for a push and only the build otherwise', () => {
    assert.deepEqual(planSteps({ push: true }).map((s) => s.id), ['identity', 'repository', 'login', 'build', 'tag', 'push', 'digest']);
    assert.deepEqual(planSteps({ push: false }).map((s) => s.title), ['Build image']);
  });

  it('formats durations, terminal newlines and redacts secrets', () => {
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(4210), '4.2 s');
    assert.equal(formatDuration(80_000), '1 min 20 s');
    assert.equal(toTerminal('a\nb\r\nc'), 'a\r\nb\r\nc');
    assert.equal(redact('x secret-token y secret-token', ['secret-token', '']), 'x ******** y ********');
  });

  it('keeps the last pushed record per destination and says when it is current', () => {
    const r1 = makeRecord('reg', 'repo', 'latest', D1, 'sha256:h1', new Date('2026-01-01T00:00:00Z'));
    assert.equal(r1.imageUri, `reg/repo@${D1}`);
    assert.throws(() => makeRecord('reg', 'repo', 'latest', 'sha256:short', 'h'));
    let f = withRecord(parseBuildsFile(undefined), r1);
    f = parseBuildsFile(serializeBuildsFile(f));
    assert.equal(upToDate(f, 'reg', 'repo', 'latest', 'sha256:h1')?.digest, D1);
    assert.equal(upToDate(f, 'reg', 'repo', 'latest', 'sha256:h2'), undefined);
    assert.equal(upToDate(f, 'other', 'repo', 'latest', 'sha256:h1'), undefined);
    f = withRecord(f, makeRecord('reg', 'repo', 'latest', D2, 'sha256:h2'));
    assert.equal(upToDate(f, 'reg', 'repo', 'latest', 'sha256:h2')?.digest, D2);
    assert.deepEqual(parseBuildsFile('{not json').records, {});
    assert.deepEqual(parseBuildsFile(JSON.stringify({ records: { k: { digest: 'bad' } } })).records, {});
  });
});

describe('container CLI helpers', () => {
  it('knows the engine from the CLI name or path', () => {
    assert.equal(engineKind('docker'), 'docker');
    assert.equal(engineKind('/opt/homebrew/bin/podman'), 'podman');
    assert.equal(engineKind('C:\\bin\\finch.exe'), 'finch');
    assert.equal(engineKind('/usr/local/bin/nerdctl'), 'finch');
  });

  it('compares API versions and reads the pushed digest', () => {
    assert.ok(versionAtLeast('1.41', '1.38'));
    assert.ok(versionAtLeast('1.38', '1.38'));
    assert.ok(!versionAtLeast('1.37', '1.38'));
    assert.ok(!versionAtLeast(undefined, '1.38'));
    assert.equal(parsePushDigest(`abc: Pushed\nit: digest: ${D1} size: 945\n`), D1);
    assert.equal(parsePushDigest('nothing'), undefined);
  });

  it('builds argument arrays (never a shell string) and sets DOCKER_CONFIG only when configured', () => {
    const cli = new ContainerCli({ cli: 'docker', dockerConfig: '/cfg' });
    const b = { dockerfile: '/c/Dockerfile', context: '/c', tags: ['a:b'], platform: 'linux/amd64', buildArgs: { X: 'a b; rm -rf /' } };
    // The value goes in the child's environment; argv names the arg only.
    assert.deepEqual(cli.buildArgs(b, '/tmp/iid'),
      ['build', '--file', '/c/Dockerfile', '--tag', 'a:b', '--platform', 'linux/amd64', '--build-arg', 'X', '--iidfile', '/tmp/iid', '/c']);
    assert.deepEqual(cli.buildArgsEnv(b), { X: 'a b; rm -rf /' });
    assert.throws(() => cli.buildArgsEnv({ ...b, buildArgs: { DOCKER_HOST: 'tcp://evil:2375' } }), /"DOCKER_HOST" cannot be used/);
    assert.equal(cli.childEnv().DOCKER_CONFIG, '/cfg');
    const saved = process.env.DOCKER_CONFIG;
    delete process.env.DOCKER_CONFIG;
    try {
      assert.equal(new ContainerCli({ cli: 'docker', dockerConfig: ' ' }).childEnv().DOCKER_CONFIG, undefined);
    } finally {
      if (saved !== undefined) process.env.DOCKER_CONFIG = saved;
    }
  });

  it('says clearly when the CLI is missing', async () => {
    const cli = new ContainerCli({ cli: '/nonexistent/docker' });
    await assert.rejects(cli.engineInfo(), (e: Error & { kind: string }) => e.kind === 'missing' && /sagemakerProcessing\.containerCli/.test(e.message));
  });
});

describe('ECR image URIs (the check before submitting)', () => {
  it('parses tags, digests and defaults; other registries are not ECR', async () => {
    const { parseEcrImageUri, missingImageMessage } = await import('../../src/core/build/spec');
    assert.deepEqual(parseEcrImageUri('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/img:v1'), { uri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/img:v1', registryId: '123456789012', region: 'eu-west-1', repository: 'team/img', tag: 'v1' });
    const d = `sha256:${'a'.repeat(64)}`;
    assert.equal(parseEcrImageUri(`123456789012.dkr.ecr.us-east-1.amazonaws.com/img@${d}`)?.digest, d);
    assert.equal(parseEcrImageUri('123456789012.dkr.ecr.us-east-1.amazonaws.com/img')?.tag, 'latest');
    assert.equal(parseEcrImageUri('python:3.12-slim'), undefined);
    assert.equal(parseEcrImageUri('ghcr.io/x/y:1'), undefined);
    const ref = parseEcrImageUri('123456789012.dkr.ecr.us-east-1.amazonaws.com/img:v2')!;
    assert.match(missingImageMessage(ref, 'no-repository')!, /no repository "img" in account 123456789012 \(us-east-1\)/);
    assert.match(missingImageMessage(ref, 'no-image')!, /has no image tagged "v2"/);
    assert.equal(missingImageMessage(ref, 'present'), undefined);
    assert.equal(missingImageMessage(ref, 'unknown'), undefined);
  });
});
