// Proves the real parts the other integration tests stand on: a private dockerd running the offline base image,
// the census example's Dockerfile building on it, and a registry with htpasswd auth, plain on loopback and with
// TLS under an ECR-shaped host name, taking `docker login --password-stdin` and `docker push` for real.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../support/proc';
import { loadBaseImage, startDockerd, type Dockerd } from '../support/dockerd';
import { namespaceFor, randomLoopbackIp, startRegistry, type Registry } from '../support/registry';
import { ROOT, scratchDir } from '../support/paths';

const ECR_HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const PASSWORD = '123456789012-auth-token';

describe('harness: dockerd, base image, registries', () => {
  let plain: Registry;
  let tls: Registry;
  let docker: Dockerd;
  const tiny = 'harness/tiny:latest';

  before(async () => {
    plain = await startRegistry({ user: 'AWS', password: PASSWORD });
    const ip = randomLoopbackIp();
    tls = await startRegistry({ user: 'AWS', password: PASSWORD, tls: { host: ECR_HOST, ip } });
    docker = await startDockerd({ wrap: namespaceFor(ECR_HOST, ip, tls.caCert!, scratchDir('ns')), baseImage: true });
    await loadBaseImage(docker);
    // A one-file image keeps the push tests quick (the base image is ~1 GB).
    const dir = scratchDir('tiny');
    fs.writeFileSync(path.join(dir, 'hello.txt'), `pushed at ${new Date().toISOString()}\n`);
    await run('tar', ['-C', dir, '-cf', path.join(dir, '..', `${path.basename(dir)}.tar`), '.']);
    await docker.docker(['import', path.join(dir, '..', `${path.basename(dir)}.tar`), tiny]);
  });
  after(async () => {
    await docker?.stop();
    await plain?.stop();
    await tls?.stop();
  });

  it('runs the offline base image with pandas and scikit-learn, without network', async () => {
    const { stdout } = await docker.docker(['run', '--rm', '--network', 'none', 'local/python-base', 'python3', '-c',
      'import pandas, sklearn; print(pandas.__version__, sklearn.__version__)']);
    assert.match(stdout.trim(), /^\d+\.\d+\.\d+ \d+\.\d+\.\d+$/);
  });

  it('builds examples/census on the base image and runs preprocessing.py', async () => {
    const census = path.join(ROOT, 'examples', 'census');
    await docker.docker(['build', '--build-arg', 'BASE_IMAGE=local/python-base', '-t', 'census:test', census]);
    const out = scratchDir('census-out');
    const { stdout } = await docker.docker(['run', '--rm', '--network', 'none',
      '-v', `${path.join(census, 'data')}:/opt/ml/processing/input:ro`, '-v', `${out}:/opt/ml/processing`,
      '-v', `${census}/preprocessing.py:/opt/ml/code/preprocessing.py:ro`,
      'census:test', '/opt/ml/code/preprocessing.py', '--train-test-split-ratio', '0.2']);
    assert.match(stdout, /Train data shape after preprocessing: \(\d+, \d+\)/);
    const { stdout: ls } = await docker.docker(['run', '--rm', '-v', `${out}:/o`, 'local/python-base', 'ls', '/o/train', '/o/test']);
    for (const f of ['train_features.csv', 'train_labels.csv', 'test_features.csv', 'test_labels.csv']) assert.ok(ls.includes(f), `${f} missing: ${ls}`);
  });

  for (const kind of ['plain', 'tls'] as const) {
    it(`logs in with --password-stdin and pushes to the ${kind === 'tls' ? 'TLS ECR-shaped' : 'loopback'} registry`, async () => {
      const reg = kind === 'tls' ? tls : plain;
      await assert.rejects(docker.docker(['login', '--username', 'AWS', '--password-stdin', reg.host], 'wrong-password\n'), /401|unauthorized/i);
      await docker.docker(['login', '--username', 'AWS', '--password-stdin', reg.host], PASSWORD + '\n');
      const ref = `${reg.host}/harness/base:${kind}`;
      await docker.docker(['tag', tiny, ref]);
      const push = await docker.docker(['push', ref]);
      const digest = push.stdout.match(/digest: (sha256:[0-9a-f]{64})/)?.[1];
      assert.ok(digest, push.stdout);
      const noAuth = await reg.api(`/v2/harness/base/manifests/${kind}`);
      assert.equal(noAuth.status, 401);
      const man = await reg.api(`/v2/harness/base/manifests/${kind}`, { user: 'AWS', password: PASSWORD });
      assert.equal(man.status, 200);
      assert.equal(man.headers['docker-content-digest'], digest);
    });
  }
});
