// Writes the walkthrough's step images (media/walkthrough/*.svg): small sketches of the workbench in the theme's
// colours (VS Code passes its colours to walkthrough SVGs as CSS variables; the fallbacks are Dark Modern's).
//   node scripts/walkthrough-media.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = join(import.meta.dirname, '..', 'media', 'walkthrough');

// The images' texts in Japanese (package.nls.ja.json points the walkthrough at media/walkthrough/ja/): the words of
// l10n/bundle.l10n.ja.json and package.nls.ja.json where the image shows our UI; code, paths and log lines stay.
const JA = {
  "AWS profile for SageMaker Processing": "SageMaker Processing の AWS プロファイル",
  "SDK default chain": "SDK のデフォルトチェーン",
  "   current": "   使用中",
  "The profile and region in use show in the": "使用中のプロファイルとリージョンは、",
  "status bar and above the jobs.": "ステータス バーとジョブ一覧の上に表示されます。",
  "Completed · 2 min ago": "完了 · 2 分前",
  "Failed · 1 h ago": "失敗 · 1 時間前",
  "PROCESSING JOBS": "処理ジョブ",
  "default profile · us-east-1": "default プロファイル · us-east-1",
  "Run as Processing Job (census-preprocessing · …)  |  ": "処理ジョブとして実行 (census-preprocessing · …)  |  ",
  "▶ Run Locally in Docker": "▶ Docker でローカル実行",
  "  |  Edit Job Definition": "  |  ジョブ定義を編集",
  "OUTPUT   ": "出力   ",
  "Local run completed.": "ローカル実行が完了しました。",
  "Outputs: .sagemaker-local/census-…": "出力: .sagemaker-local/census-…",
  "census — Terminal": "census — ターミナル",
  "TERMINAL   ": "ターミナル   ",
  "Build and push census-preprocessing": "census-preprocessing のビルドとプッシュ",
  "Run as Processing Job (census-preprocessing · ml.m5.xlarge ×1)": "処理ジョブとして実行 (census-preprocessing · ml.m5.xlarge ×1)",
  "▶ Run Locally in Docker  |  ✎ Edit Job Definition": "▶ Docker でローカル実行  |  ✎ ジョブ定義を編集",
  "Started processing job": "処理ジョブを開始しました",
  "InProgress · just now": "進行中 · たった今",
  "Completed · 1 h ago": "完了 · 1 時間前",
  "default · us-east-1     1 job running": "default · us-east-1     SageMaker: 1 件実行中",
  "census — Output": "census — 出力",
  "census — Explorer": "census — エクスプローラー",
  "Downloaded 2 file(s) of census-preprocessing-… to": "census-preprocessing-… の 2 個のファイルを",
  "outputs/census-preprocessing-…": "outputs/census-preprocessing-… にダウンロードしました",
  "Reveal": "表示",
  "Create Job Definition from SDK Code (preprocessing)": "SDK のコードからジョブ定義を作成 (preprocessing)",
  "Later run failed? Right-click it:": "後の実行が失敗したら、右クリック:",
  "Compare Runs": "実行を比較",
  "Compare with Last Successful Run": "最後に成功した実行と比較",
  "Compare with Job Definition": "ジョブ定義と比較",
  "EXPLORER": "エクスプローラー",
  "Copy Name": "ジョブ名をコピー",
  // not a text: the job name is cut shorter to leave room for the wider Japanese button
  "census-preprocessing-2026-11-27-10-…": "census-preprocessing-…"
};
let lang = 'en';
/** A text of the images in the language being written. */
const L = (en) => {
  if (lang === 'en') return en;
  if (!(en in JA)) throw new Error(`no Japanese text for ${JSON.stringify(en)}`);
  return JA[en];
};
const W = 560;
const H = 340;
const c = {
  bg: 'var(--vscode-editor-background, #1f1f1f)',
  side: 'var(--vscode-sideBar-background, #181818)',
  bar: 'var(--vscode-titleBar-activeBackground, #181818)',
  border: 'var(--vscode-panel-border, #2b2b2b)',
  fg: 'var(--vscode-editor-foreground, #cccccc)',
  dim: 'var(--vscode-descriptionForeground, #9d9d9d)',
  accent: 'var(--vscode-button-background, #0078d4)',
  accentFg: 'var(--vscode-button-foreground, #ffffff)',
  lens: 'var(--vscode-editorCodeLens-foreground, #999999)',
  ok: 'var(--vscode-testing-iconPassed, #73c991)',
  warn: 'var(--vscode-editorWarning-foreground, #cca700)',
  err: 'var(--vscode-errorForeground, #f85149)',
  key: 'var(--vscode-symbolIcon-propertyForeground, #9cdcfe)',
  str: 'var(--vscode-debugTokenExpression-string, #ce9178)',
  kw: 'var(--vscode-symbolIcon-keywordForeground, #c586c0)',
  status: 'var(--vscode-statusBar-background, #181818)',
  statusFg: 'var(--vscode-statusBar-foreground, #cccccc)',
  sel: 'var(--vscode-list-activeSelectionBackground, #04395e)',
  input: 'var(--vscode-input-background, #313131)',
};

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** One line of text; `parts` are [text, colour] runs. */
function text(x, y, parts, size = 13, mono = true) {
  const runs = (Array.isArray(parts) ? parts : [[parts, c.fg]]).map(([t, fill, bold]) => `<tspan fill="${fill}"${bold ? ' font-weight="600"' : ''}>${esc(t)}</tspan>`).join('');
  return `<text x="${x}" y="${y}" font-size="${size}" font-family="${mono ? 'ui-monospace, Menlo, Consolas, monospace' : 'system-ui, -apple-system, Segoe UI, sans-serif'}" xml:space="preserve">${runs}</text>`;
}
const rect = (x, y, w, h, fill, extra = '') => `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}" ${extra}/>`;
const textWidth = (t) => [...t].reduce((w, ch) => w + (ch.codePointAt(0) > 0x2e80 ? 12 : 7.4), 0);
const button = (x, y, label, w = textWidth(label) + 24) => `${rect(x, y, w, 24, c.accent, 'rx="3"')}${text(x + 12, y + 16, [[label, c.accentFg]], 12, false)}`;

/** The window: title bar with a file tab, optional side bar, status bar with the profile and region. */
function frame(title, body, { sideBar, status = 'default · us-east-1' } = {}) {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">
${rect(0, 0, W, H, c.bg, `rx="8" stroke="${c.border}"`)}
${rect(1, 1, W - 2, 28, c.bar, 'rx="7"')}
<circle cx="16" cy="15" r="5" fill="${c.err}"/><circle cx="32" cy="15" r="5" fill="${c.warn}"/><circle cx="48" cy="15" r="5" fill="${c.ok}"/>
${text(W / 2, 19, [[title, c.dim]], 12, false).replace('<text ', '<text text-anchor="middle" ')}
${sideBar ? rect(1, 29, 170, H - 52, c.side) + `<line x1="171" y1="29" x2="171" y2="${H - 23}" stroke="${c.border}"/>` + sideBar : ''}
${body}
${rect(1, H - 23, W - 2, 22, c.status, 'rx="0"')}
${text(12, H - 8, [[status, c.statusFg]], 11, false)}
</svg>
`;
}

const jobRows = (x, y, rows) => rows.map(([icon, color, name, desc], i) => `${i === 0 ? rect(x - 8, y + i * 38 - 15, 168, 36, c.sel) : ''}${text(x, y + i * 38, [[icon + ' ', color], [name, c.fg]], 12, false)}${desc ? text(x + 14, y + i * 38 + 15, [[desc, c.dim]], 10, false) : ''}`).join('');

const explorer = (rows) => `${text(12, 50, [[L('PROCESSING JOBS'), c.dim, true]], 11, false)}${text(12, 68, [[L('default profile · us-east-1'), c.dim]], 10, false)}${jobRows(14, 92, rows)}`;

const media = () => ({
  target: frame('census — SageMaker Processing', `
${rect(190, 44, 350, 128, c.input, 'rx="6"')}
${text(204, 66, [[L('AWS profile for SageMaker Processing'), c.dim]], 12, false)}
${rect(196, 76, 338, 24, c.sel, 'rx="3"')}
${text(206, 93, [[L('SDK default chain'), c.fg], [L('   current'), c.dim]], 12, false)}
${text(206, 119, [['ml-dev', c.fg], ['   eu-west-1 · sso', c.dim]], 12, false)}
${text(206, 145, [['research', c.fg], ['   us-east-1 · static', c.dim]], 12, false)}
${text(190, 206, [[L('The profile and region in use show in the'), c.dim]], 12, false)}
${text(190, 224, [[L('status bar and above the jobs.'), c.dim]], 12, false)}
<path d="M 60 ${H - 30} q 0 -40 130 -90" fill="none" stroke="${c.accent}" stroke-width="2" stroke-dasharray="4 3"/>`, {
    sideBar: explorer([['✓', c.ok, 'census-preprocessing-…', L('Completed · 2 min ago')], ['✗', c.err, 'census-preprocessing-…', L('Failed · 1 h ago')]]),
  }),

  definition: frame('sagemaker-processing.json — census', `
${text(24, 56, [['.vscode › sagemaker-processing.json', c.dim]], 11, false)}
${[
    [['{', c.fg]],
    [['  "version"', c.key], [': ', c.fg], ['"1"', c.str], [',', c.fg]],
    [['  "jobs"', c.key], [': {', c.fg]],
    [['    "census-preprocessing"', c.key], [': {', c.fg]],
    [['      "script"', c.key], [': ', c.fg], ['"preprocessing.py"', c.str], [',', c.fg]],
    [['      "image"', c.key], [': ', c.fg], ['"…/sklearn:1.2-1"', c.str], [',', c.fg]],
    [['      "instanceType"', c.key], [': ', c.fg], ['"ml.m5.xlarge"', c.str], [',', c.fg]],
    [['      "inputs"', c.key], [': [{ ', c.fg], ['"source"', c.key], [': ', c.fg], ['"data/census.csv"', c.str], [' … }],', c.fg]],
    [['      "outputs"', c.key], [': [{ ', c.fg], ['"source"', c.key], [': ', c.fg], ['"/opt/ml/processing/train"', c.str], [' }]', c.fg]],
    [['    }', c.fg]],
    [['  }', c.fg]],
    [['}', c.fg]],
  ].map((p, i) => text(24, 82 + i * 19, p, 12)).join('\n')}`),

  notebook: frame('census.ipynb — census', `
${text(24, 52, [['[4]', c.dim], ['  sklearn_processor.run(', c.fg], ['code', c.key], ['=', c.fg], ["'preprocessing.py'", c.str], [',', c.fg]], 12)}
${text(24, 71, [['                         inputs', c.key], ['=[ProcessingInput(', c.fg], ['source', c.key], ['=input_data, …)],', c.fg]], 12)}
${text(24, 90, [['                         outputs', c.key], ['=[ProcessingOutput(', c.fg], ["'train_data'", c.str], [', …)],', c.fg]], 12)}
${text(24, 109, [['                         arguments', c.key], ['=[', c.fg], ["'--train-test-split-ratio'", c.str], [', ', c.fg], ["'0.2'", c.str], ['])', c.fg]], 12)}
${text(10, 72, [['💡', c.warn]], 12, false)}
${rect(40, 124, 420, 26, c.input, `rx="4" stroke="${c.border}"`)}
${rect(44, 127, 412, 20, c.sel, 'rx="3"')}
${text(54, 141, [[L('Create Job Definition from SDK Code (preprocessing)'), c.fg]], 12, false)}
<line x1="1" y1="170" x2="${W - 1}" y2="170" stroke="${c.border}"/>
${text(24, 192, [['.vscode › sagemaker-processing.json', c.dim]], 11, false)}
${[
    [['    "preprocessing"', c.key], [': {', c.fg]],
    [['      "framework"', c.key], [': { ', c.fg], ['"name"', c.key], [': ', c.fg], ['"sklearn"', c.str], [', ', c.fg], ['"version"', c.key], [': ', c.fg], ['"0.20.0"', c.str], [' },', c.fg]],
    [['      "script"', c.key], [': ', c.fg], ['"preprocessing.py"', c.str], [',', c.fg]],
    [['      "inputs"', c.key], [': [{ ', c.fg], ['"source"', c.key], [': ', c.fg], ['"s3://sagemaker-sample-data-${region}/…"', c.str], [' … }],', c.fg]],
    [['      "arguments"', c.key], [': [', c.fg], ['"--train-test-split-ratio"', c.str], [', ', c.fg], ['"0.2"', c.str], [']', c.fg]],
  ].map((p, i) => text(24, 214 + i * 19, p, 12)).join('\n')}`),

  local: frame('preprocessing.py — census', `
${text(24, 52, [[L('Run as Processing Job (census-preprocessing · …)  |  '), c.lens], [L('▶ Run Locally in Docker'), c.accent, true], [L('  |  Edit Job Definition'), c.lens]], 10, false)}
${text(24, 74, [['import ', c.kw], ['pandas ', c.fg], ['as ', c.kw], ['pd', c.fg]], 12)}
<line x1="1" y1="120" x2="${W - 1}" y2="120" stroke="${c.border}"/>
${text(24, 140, [[L('OUTPUT   '), c.fg, true], ['SageMaker: census-preprocessing-local', c.dim]], 11, false)}
${text(24, 164, [['[local] docker run … sagemaker-processing-census', c.dim]], 11)}
${text(24, 184, [['Reading /opt/ml/processing/input', c.fg]], 11)}
${text(24, 204, [['Splitting data into train and test sets with ratio 0.2', c.fg]], 11)}
${text(24, 224, [['Saving train features to /opt/ml/processing/train', c.fg]], 11)}
${text(24, 244, [['--- Local run census-preprocessing Completed after 4s ---', c.ok]], 11)}
${rect(300, 262, 246, 46, c.side, `rx="4" stroke="${c.border}"`)}
${text(312, 281, [['✓ ', c.ok], [L('Local run completed.'), c.fg]], 11, false)}
${text(312, 299, [[L('Outputs: .sagemaker-local/census-…'), c.dim]], 10, false)}`),

  build: frame(L('census — Terminal'), `
${text(24, 52, [[L('TERMINAL   '), c.fg, true], [L('Build and push census-preprocessing'), c.dim]], 11, false)}
${text(24, 80, [['Build and push sagemaker-processing-census:latest', c.fg, true]], 12)}
${text(24, 104, [['▶ [1/4] ECR repository', c.accent, true]], 12)}
${text(24, 124, [['✔ ECR repository', c.ok], [' (0.4s)', c.dim]], 12)}
${text(24, 148, [['▶ [2/4] docker login (password on stdin)', c.accent, true]], 12)}
${text(24, 168, [['✔ docker login', c.ok], [' (0.9s)', c.dim]], 12)}
${text(24, 192, [['▶ [3/4] docker build --platform linux/amd64', c.accent, true]], 12)}
${text(24, 212, [['✔ docker build', c.ok], [' (41s)', c.dim]], 12)}
${text(24, 236, [['▶ [4/4] docker push', c.accent, true]], 12)}
${text(24, 256, [['✔ docker push', c.ok], [' (12s)', c.dim]], 12)}
${text(24, 284, [['✔ Pushed 123456789012.dkr.ecr.us-east-1.amazonaws.com/…@sha256:…', c.ok, true]], 11)}`),

  run: frame('preprocessing.py — census', `
${rect(190, 40, 356, 20, c.sel, 'rx="3"')}
${text(196, 54, [[L('Run as Processing Job (census-preprocessing · ml.m5.xlarge ×1)'), c.fg]], 10, false)}
${text(196, 74, [[L('▶ Run Locally in Docker  |  ✎ Edit Job Definition'), c.lens]], 10, false)}
${[
    [['import ', c.kw], ['argparse', c.fg]],
    [['import ', c.kw], ['pandas ', c.fg], ['as ', c.kw], ['pd', c.fg]],
    [['', c.fg]],
    [['parser ', c.fg], ['= ', c.fg], ['argparse.ArgumentParser()', c.fg]],
    [['parser.add_argument(', c.fg], ['"--train-test-split-ratio"', c.str], [')', c.fg]],
  ].map((p, i) => text(196, 100 + i * 19, p, 12)).join('\n')}
${rect(250, 236, 296, 70, c.side, `rx="4" stroke="${c.border}"`)}
<circle cx="268" cy="254" r="6" fill="none" stroke="${c.accent}" stroke-width="1.5"/>${text(266, 258, [['i', c.accent, true]], 9, false)}${text(282, 258, [[L('Started processing job'), c.fg]], 12, false)}
${text(262, 276, [[L('census-preprocessing-2026-11-27-10-…'), c.dim]], 10, false)}
${lang === 'en' ? button(452, 276, 'Copy Name', 84) : button(536 - textWidth(L('Copy Name')) - 24, 276, L('Copy Name'))}`, {
    sideBar: explorer([['●', c.accent, 'census-preprocessing-…', L('InProgress · just now')], ['✓', c.ok, 'census-preprocessing-…', L('Completed · 1 h ago')]]),
    status: L('default · us-east-1     1 job running'),
  }),

  logs: frame(L('census — Output'), `
${text(24, 52, [[L('OUTPUT   '), c.fg, true], ['SageMaker: census-preprocessing-2026-11-27-10-00-00-000', c.dim]], 11, false)}
${[
    [['2026-11-27T10:01:02.120Z ', c.ok], ['[algo-1] ', c.accent], ['Received arguments: ratio 0.2', c.fg]],
    [['2026-11-27T10:01:02.480Z ', c.ok], ['[algo-1] ', c.accent], ['Reading /opt/ml/processing/input', c.fg]],
    [['2026-11-27T10:01:04.910Z ', c.ok], ['[algo-1] ', c.accent], ['Data after cleaning: (26656, 7)', c.fg]],
    [['2026-11-27T10:01:05.002Z ', c.ok], ['[algo-2] ', c.accent], ['Splitting into train and test sets', c.fg]],
    [['2026-11-27T10:01:07.733Z ', c.ok], ['[algo-1] ', c.accent], ['WARN ', c.warn], ['2 rows dropped', c.fg]],
    [['2026-11-27T10:01:09.340Z ', c.ok], ['[algo-1] ', c.accent], ['Saving training features', c.fg]],
    [['--- Job census-preprocessing-… Completed after 3m 12s ---', c.fg, true]],
  ].map((p, i) => text(24, 84 + i * 26, p, 11)).join('\n')}`),

  outputs: frame(L('census — Explorer'), `
${text(190, 56, [[L('Downloaded 2 file(s) of census-preprocessing-… to'), c.fg]], 12, false)}
${text(190, 74, [[L('outputs/census-preprocessing-…'), c.dim]], 12, false)}
${button(190, 88, L('Reveal'), 64)}
${text(190, 146, [[L('Later run failed? Right-click it:'), c.dim]], 12, false)}
${rect(190, 156, 240, 72, c.side, `rx="4" stroke="${c.border}"`)}
${text(202, 176, [[L('Compare Runs'), c.fg]], 12, false)}
${rect(194, 184, 232, 20, c.sel, 'rx="2"')}
${text(202, 198, [[L('Compare with Last Successful Run'), c.fg]], 12, false)}
${text(202, 220, [[L('Compare with Job Definition'), c.fg]], 12, false)}`, {
    sideBar: `${text(12, 50, [[L('EXPLORER'), c.dim, true]], 11, false)}${[
      ['▾ outputs', c.fg], ['  ▾ census-preprocessing-…', c.fg], ['    ▾ train_data', c.fg], ['        train_features.csv', c.ok], ['        train_labels.csv', c.ok],
      ['    ▾ test_data', c.fg], ['        test_features.csv', c.ok], ['  preprocessing.py', c.fg],
    ].map(([t, col], i) => text(12, 74 + i * 20, [[t, col]], 11, false)).join('')}`,
  }),
});

for (lang of ['en', 'ja']) {
  const dir = lang === 'en' ? OUT : join(OUT, lang);
  const images = media();
  mkdirSync(dir, { recursive: true });
  for (const [name, svg] of Object.entries(images)) writeFileSync(join(dir, `${name}.svg`), svg);
  console.log(`wrote ${Object.keys(images).length} images to ${dir}`);
}
