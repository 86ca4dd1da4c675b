// The one resolver of the container CLI from settings / SMP_CONTAINER_CLI (src/local/containerCliConfig.ts): `~`
// expanded, a bare name looked up on PATH (absolute entries only), a relative path or shell text refused before
// anything is started.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { containerCliFrom, expandHome, findOnPath, resolveContainerCommand, resolveDockerConfig } from '../../src/local/containerCliConfig';
import { ContainerCliError } from '../../src/local/containerCli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smp-clicfg-'));
const bin = path.join(tmp, 'bin');
fs.mkdirSync(bin);
const fake = path.join(bin, 'podman');
fs.writeFileSync(fake, '#!/bin/sh\necho "podman version 9.9.9"\n', { mode: 0o755 });
fs.writeFileSync(path.join(bin, 'docker'), 'not executable', { mode: 0o644 });
const env = { PATH: `relative/dir::${bin}` };

test('expandHome: ~ and ~/… only', () => {
  assert.equal(expandHome('~', '/home/u'), '/home/u');
  assert.equal(expandHome('~/bin/docker', '/home/u'), path.join('/home/u', 'bin/docker'));
  assert.equal(expandHome('~other/docker', '/home/u'), '~other/docker');
  assert.equal(expandHome('/usr/bin/docker', '/home/u'), '/usr/bin/docker');
});

test('a bare name is looked up on PATH (absolute, executable entries only)', () => {
  assert.equal(findOnPath('podman', env, 'linux'), fake);
  assert.equal(findOnPath('docker', env, 'linux'), undefined, 'not executable');
  assert.deepEqual(resolveContainerCommand('podman', { env }), { command: fake });
  // Not found: spawned as given, so the CLI's own "not found" message names it.
  assert.deepEqual(resolveContainerCommand('finch', { env }), { command: 'finch' });
});

test('a relative PATH entry (the current folder) is never searched', () => {
  const cwd = process.cwd();
  process.chdir(bin);
  try {
    assert.equal(findOnPath('podman', { PATH: '.:' }, 'linux'), undefined);
  } finally {
    process.chdir(cwd);
  }
});

test('default: SMP_CONTAINER_CLI, else docker; the setting wins', () => {
  assert.equal(resolveContainerCommand(undefined, { env: { ...env, SMP_CONTAINER_CLI: fake } }).command, fake);
  assert.equal(resolveContainerCommand('  ', { env: { PATH: '' } }).command, 'docker');
  assert.equal(resolveContainerCommand('podman', { env: { ...env, SMP_CONTAINER_CLI: '/nope/docker' } }).command, fake);
});

test('~ paths are expanded; relative paths and shell text are refused', () => {
  assert.deepEqual(resolveContainerCommand('~/bin/podman', { env, home: tmp }), { command: fake });
  for (const bad of ['./docker', 'bin/docker', 'docker --debug', 'docker;rm -rf ~', '$(docker)', '~other/docker']) {
    const r = resolveContainerCommand(bad, { env, home: tmp });
    assert.match(r.problem ?? '', /must be a program name \(docker, podman, finch\) or an absolute path/, bad);
  }
});

test('dockerConfig: ~ expanded, must be absolute', () => {
  assert.deepEqual(resolveDockerConfig('', {}), {});
  assert.deepEqual(resolveDockerConfig('~/.docker-smp', { home: '/home/u' }), { dir: path.join('/home/u', '.docker-smp') });
  assert.match(resolveDockerConfig('dockercfg', {}).problem ?? '', /must be an absolute path/);
});

test('containerCliFrom: a good value runs; a bad one fails every command unstarted, with the reason', async () => {
  const good = containerCliFrom({ cli: 'podman', dockerConfig: '~/cfg' }, { env, home: tmp });
  assert.equal(good.command, fake);
  assert.equal(good.kind, 'podman');
  assert.equal(good.childEnv().DOCKER_CONFIG, path.join(tmp, 'cfg'));
  assert.match((await good.exec(['version'])).stdout, /podman version 9\.9\.9/);
  const bad = containerCliFrom({ cli: 'docker && touch pwned' }, { env, home: tmp });
  await assert.rejects(bad.exec(['version'], { cwd: tmp }), (e: unknown) => e instanceof ContainerCliError && e.kind === 'missing' && /must be a program name/.test(e.message));
  assert.throws(() => bad.spawn(['version']), ContainerCliError);
  assert.equal(fs.existsSync(path.join(tmp, 'pwned')), false);
});
