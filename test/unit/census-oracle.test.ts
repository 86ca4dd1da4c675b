// The census oracle of the backend end-to-end test (test/support/censusOracle.ts) on data small enough to count by hand.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { censusExpectation, censusOutputProblems, splitRatioOf } from '../support/censusOracle';

const HEADER = 'age,class of worker,education,major industry code,capital gains,capital losses,dividends from stocks,num persons worked for employer,income';
const CSV = [
  HEADER,
  '30, Private, Bachelors, Retail,0,0,0,1, - 50000.',
  '30, Private, Bachelors, Retail,0,0,0,1, - 50000.', // a duplicate: dropped
  '45, Private, Masters, Education,100,0,5,2, 50000+.',
  '50, Federal, Masters, Education,0,0,0,NA, 50000+.', // a missing value: dropped
  '12, Not in universe, Children, Not in universe,0,0,0,0, - 50000.',
  '61, Private, Doctorate, Finance,0,50,0,3, 50000+.',
  '"22", Private, Bachelors, Retail,0,0,0,1, - 50000.', // a quoted number: read as 22
].join('\n');

test('the expectation: duplicates and missing values dropped, ceil(ratio × rows) test rows, the category bound', () => {
  // 8 lines: 1 duplicate and 1 with NA dropped → 5 rows (2 positive); test = ceil(0.2 × 5) = 1.
  assert.deepEqual(censusExpectation(CSV, 0.2), { rows: 5, positives: 2, negatives: 3, train: 4, test: 1, maxFeatures: 20 + 3 + 4 + 4 + 2 });
  assert.equal(censusExpectation(CSV, 0.5).test, 3);
  assert.equal(splitRatioOf(['--train-test-split-ratio', '0.2']), 0.2);
  assert.equal(splitRatioOf([]), 0.3, 'the script\'s default');
  assert.throws(() => censusExpectation('age,income\n1, - 50000.\n', 0.2), /lacks a column/);
});

test('the outputs check passes right outputs and names what is wrong in bad ones (a deliberate violation each)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'census-oracle-'));
  try {
    const e = { rows: 3, positives: 1, negatives: 2, train: 2, test: 1, maxFeatures: 30 };
    // 2 bin blocks (2+2 columns), 3 scaled, 3 category blocks (1+1+2 columns): 11 wide; train rows have five 1s.
    const train = ['1.000000,0.000000,0.000000,1.000000,1.000000,-1.000000,1.000000,1.000000,1.000000,1.000000,0.000000',
      '0.000000,1.000000,1.000000,0.000000,-1.000000,1.000000,-1.000000,1.000000,1.000000,0.000000,1.000000'];
    const write = (f: string, lines: string[]) => {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), lines.map((l) => `${l}\n`).join(''));
    };
    const good = () => {
      write('train_data/train_features.csv', train);
      write('train_data/train_labels.csv', ['0', '1']);
      write('test_data/test_features.csv', ['1.000000,0.000000,1.000000,0.000000,0.500000,0.200000,3.000000,1.000000,0.000000,0.000000,0.000000']);
      write('test_data/test_labels.csv', ['0']);
    };
    good();
    assert.deepEqual(censusOutputProblems(dir, e), []);
    write('train_data/train_labels.csv', ['0', '0']);
    assert.deepEqual(censusOutputProblems(dir, e), ['positive labels: 0, expected 1']);
    good();
    write('test_data/test_features.csv', ['a,b,c']);
    assert.match(censusOutputProblems(dir, e).join('\n'), /not a number.*no header/);
    good();
    write('train_data/train_features.csv', [train[0]]);
    assert.equal(censusOutputProblems(dir, e)[0], 'train features: 1 rows, expected 2');
    good();
    write('train_data/train_features.csv', train.map((l) => l.replace(/^1\.000000,0\.000000/, '1.000000,1.000000').replace(/^0\.000000,1\.000000/, '1.000000,1.000000')));
    assert.match(censusOutputProblems(dir, e).join('\n'), /5 one-hot ones/);
    fs.rmSync(path.join(dir, 'test_data'), { recursive: true });
    assert.deepEqual(censusOutputProblems(dir, e), ['missing: test_data/test_features.csv, test_data/test_labels.csv']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
