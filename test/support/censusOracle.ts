// What examples/census/preprocessing.py must produce, computed here from its input CSV and its arguments alone (no
// product code, no second run of ours): the script keeps 9 columns, drops rows with a missing value and duplicate rows,
// splits with scikit-learn's train_test_split(test_size=ratio) (test rows = ceil(ratio × rows), the rest train),
// and writes headerless CSVs with "%.6f" features: 2 KBinsDiscretizer one-hot blocks, 3 StandardScaler columns,
// 3 one-hot blocks (categories fitted on the train rows), and 0/1 labels (1 for " 50000+.").
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CENSUS_COLUMNS = ['age', 'education', 'major industry code', 'class of worker', 'num persons worked for employer',
  'capital gains', 'capital losses', 'dividends from stocks', 'income'];
export const CENSUS_OUTPUT_FILES = ['test_data/test_features.csv', 'test_data/test_labels.csv', 'train_data/train_features.csv', 'train_data/train_labels.csv'];
const ONE_HOT = ['education', 'major industry code', 'class of worker'];

export interface CensusExpectation {
  /** Rows after cleaning (missing values and duplicates dropped). */
  rows: number;
  positives: number;
  negatives: number;
  train: number;
  test: number;
  /** An upper bound of the feature columns: 2 × 10 bins, 3 scaled, every category of the one-hot columns. */
  maxFeatures: number;
}

/** Fields of one CSV line (RFC 4180 quoting). */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** pandas' read_csv reads these (and an empty field) as missing. */
const MISSING = new Set(['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null']);

export function censusExpectation(csvText: string, splitRatio: number): CensusExpectation {
  const lines = csvText.split(/\r?\n/).filter((l) => l !== '');
  const header = fields(lines[0]);
  const idx = CENSUS_COLUMNS.map((c) => header.indexOf(c));
  if (idx.some((i) => i < 0)) throw new Error(`the input lacks a column the script reads: ${header.join(',')}`);
  const seen = new Set<string>();
  let positives = 0;
  let negatives = 0;
  const categories = ONE_HOT.map(() => new Set<string>());
  for (const line of lines.slice(1)) {
    const f = fields(line);
    const row = idx.map((i) => f[i] ?? '');
    if (row.some((v) => MISSING.has(v))) continue;
    // Numbers compare as numbers (pandas parsed them), text as it is.
    const key = JSON.stringify(row.map((v) => (/^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v)));
    if (seen.has(key)) continue;
    seen.add(key);
    const income = row[CENSUS_COLUMNS.indexOf('income')];
    if (income === ' 50000+.') positives++;
    else if (income === ' - 50000.') negatives++;
    else throw new Error(`an income the script cannot map: ${JSON.stringify(income)}`);
    ONE_HOT.forEach((c, k) => categories[k].add(row[CENSUS_COLUMNS.indexOf(c)]));
  }
  const rows = seen.size;
  const test = Math.ceil(splitRatio * rows);
  return { rows, positives, negatives, train: rows - test, test, maxFeatures: 2 * 10 + 3 + categories.reduce((s, c) => s + c.size, 0) };
}

function csvNumbers(file: string): number[][] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l, i) => l.split(',').map((v) => {
    if (!/^-?\d+(\.\d+)?$/.test(v)) throw new Error(`${path.basename(file)} line ${i + 1}: not a number (${JSON.stringify(v)}): no header, numbers only`);
    return Number(v);
  }));
}

/** What is wrong with a folder holding the script's outputs (train_data/, test_data/), against the expectation; [] when right. */
export function censusOutputProblems(dir: string, e: CensusExpectation): string[] {
  const problems: string[] = [];
  const missing = CENSUS_OUTPUT_FILES.filter((f) => !fs.existsSync(path.join(dir, ...f.split('/'))));
  if (missing.length) return [`missing: ${missing.join(', ')}`];
  const read = (f: string) => {
    try {
      return csvNumbers(path.join(dir, ...f.split('/')));
    } catch (err) {
      problems.push((err as Error).message);
      return [];
    }
  };
  const [testX, testY, trainX, trainY] = CENSUS_OUTPUT_FILES.map(read);
  if (problems.length) return problems;
  const expect = (ok: boolean, what: string) => { if (!ok) problems.push(what); };
  expect(trainY.length === e.train, `train labels: ${trainY.length} rows, expected ${e.train}`);
  expect(testY.length === e.test, `test labels: ${testY.length} rows, expected ${e.test}`);
  expect(trainX.length === e.train, `train features: ${trainX.length} rows, expected ${e.train}`);
  expect(testX.length === e.test, `test features: ${testX.length} rows, expected ${e.test}`);
  const labels = [...trainY, ...testY];
  expect(labels.every((r) => r.length === 1 && (r[0] === 0 || r[0] === 1)), 'labels are one 0 or 1 a row');
  const pos = labels.filter((r) => r[0] === 1).length;
  expect(pos === e.positives, `positive labels: ${pos}, expected ${e.positives}`);
  const width = trainX[0]?.length ?? 0;
  expect([...trainX, ...testX].every((r) => r.length === width), 'every feature row has the same width');
  expect(width >= 2 + 3 + 3 && width <= e.maxFeatures, `feature width ${width}, expected 8…${e.maxFeatures}`);
  // The StandardScaler columns are the ones that are not 0/1 one-hot: exactly 3, mean 0 and (population) sd 1 on train.
  const binary = (c: number) => trainX.every((r) => r[c] === 0 || r[c] === 1);
  const scaled = Array.from({ length: width }, (_, c) => c).filter((c) => !binary(c));
  expect(scaled.length === 3, `${scaled.length} scaled columns, expected 3 (capital gains, capital losses, dividends)`);
  for (const c of scaled) {
    const v = trainX.map((r) => r[c]);
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
    expect(Math.abs(mean) < 1e-3 && Math.abs(sd - 1) < 1e-3, `scaled column ${c}: mean ${mean}, sd ${sd} (expected 0 and 1)`);
  }
  // One-hot blocks: a train row has one 1 in each of the 2 bin blocks and the 3 category blocks; a test row has the
  // 2 bin ones (out-of-range values fall in the edge bins) and at most 3 (a category unseen in training is all zeros).
  const ones = (r: number[]) => r.reduce((s, x, c) => s + (scaled.includes(c) ? 0 : x), 0);
  expect(trainX.every((r) => ones(r) === 5), 'every train row has 5 one-hot ones');
  expect(testX.every((r) => ones(r) >= 2 && ones(r) <= 5), 'every test row has 2…5 one-hot ones');
  return problems;
}

/** The split ratio a definition's argument list gives the script (its documented default 0.3 when absent). */
export function splitRatioOf(args: readonly string[]): number {
  const i = args.indexOf('--train-test-split-ratio');
  return i >= 0 ? Number(args[i + 1]) : 0.3;
}
