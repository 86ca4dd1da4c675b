// The texts src/local says to the user (#17): the `[local] …` progress lines, the container CLI's and the image
// builder's errors come out in Japanese once a translator over l10n/bundle.l10n.ja.json is installed (the extension's
// vscode.l10n.t, or the CLI's from LANG), and byte for byte in the English the other tests assert without one.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { format, setTranslator } from '../../src/core/l10n';
import { ContainerCli } from '../../src/local/containerCli';
import { lastPushedIfCurrent } from '../../src/local/imageBuilder';
import { uploadLocalOutputs } from '../../src/local/localRunner';
import { readJson } from '../support/manifest';

const bundle = readJson<Record<string, string>>('l10n/bundle.l10n.ja.json');
const english = (m: string, ...args: Array<string | number | boolean>) => format(m, args);
const missing = path.join(os.tmpdir(), 'smp-l10n-local-no-such-folder');

async function unknownDestinationLine(): Promise<string> {
  const lines: string[] = [];
  await uploadLocalOutputs({ outputs: [{ name: 'train' }], outputRoot: '/w/out', s3: {} as never, onLine: (l) => lines.push(l) });
  assert.equal(lines.length, 1);
  return lines[0];
}
const contextError = (): unknown => {
  try {
    lastPushedIfCurrent({ context: missing, dockerfile: path.join(missing, 'Dockerfile') } as never, '/w', 'r');
  } catch (err) {
    return err;
  }
  return undefined;
};

describe('src/local texts in Japanese', () => {
  before(() => setTranslator((m, ...args) => format(bundle[m] ?? m, args)));
  after(() => setTranslator(english));

  test('a local run\'s upload line, the container CLI\'s errors, a build error', async () => {
    assert.equal(await unknownDestinationLine(), '出力 "train": Amazon S3 の送信先がローカルでは分かりません (アカウントまたはデフォルトのバケットが必要です)。/w/out/train にローカルでのみ保持します');
    const cli = new ContainerCli({ cli: 'finch' });
    assert.match(cli.missingMessage(), /^コンテナ CLI "finch" が見つかりません。.*"sagemakerProcessing\.containerCli"/);
    assert.equal(cli.stoppedMessage(' detail '), '"finch" の背後のコンテナエンジンが実行されていないか、接続できません。`finch vm start` で起動してから、もう一度お試しください。\ndetail');
    assert.equal((contextError() as Error).message, `ビルドコンテキストのフォルダーが存在しません: ${missing}`);
  });
});

test('without a translator the src/local texts are the English ones', async () => {
  assert.equal(await unknownDestinationLine(), 'Output "train": its S3 destination is not known locally (it needs the account or the default bucket); kept locally only in /w/out/train');
  const cli = new ContainerCli({ cli: 'docker' });
  assert.equal(cli.missingMessage(), 'The container CLI "docker" was not found. Install Docker (or Podman/Finch) or set the setting "sagemakerProcessing.containerCli" to the tool\'s name or full path.');
  assert.equal(cli.stoppedMessage('x'), 'The container engine behind "docker" is not running or not reachable. Start Docker (Docker Desktop, or `sudo systemctl start docker`) or check DOCKER_HOST, then try again.\nx');
  assert.equal((contextError() as Error).message, `The build context folder does not exist: ${missing}`);
});
