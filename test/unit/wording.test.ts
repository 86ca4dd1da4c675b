// Issue 22 item 10, small wording: schema hovers that lose their placeholders, and "file(s)".
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Every description of a JSON schema, with its JSON pointer. */
function descriptions(node: unknown, at = '#', out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) node.forEach((x, i) => descriptions(x, `${at}/${i}`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'description' || k === 'markdownDescription') && typeof v === 'string') out.push([`${at}/${k}`, v]);
      else descriptions(v, `${at}/${k}`, out);
    }
  }
  return out;
}

/** `<bucket>`-style placeholders: the hover renders descriptions as Markdown, where they are HTML tags and vanish. */
export function htmlLikePlaceholders(text: string): string[] {
  return [...text.matchAll(/<([a-zA-Z][a-zA-Z0-9_-]*)>/g)].map((m) => m[0]);
}

describe('schema hovers', () => {
  it('no description holds a <placeholder> (the hover read "uploaded to `s3:////input/`")', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'sagemaker-processing.schema.json'), 'utf8'));
    const bad = descriptions(schema).filter(([, d]) => htmlLikePlaceholders(d).length).map(([p, d]) => `${p}: ${d}`);
    assert.deepEqual(bad, []);
    const input = descriptions(schema).find(([, d]) => d.includes('/input/'));
    assert.match(input?.[1] ?? '', /s3:\/\/\{bucket\}\/\{job\}\/input\/\{name\}/);
  });

  it('the check finds a placeholder (deliberate violation)', () => {
    assert.deepEqual(htmlLikePlaceholders('uploaded to `s3://<bucket>/<job>/input/<name>`'), ['<bucket>', '<job>', '<name>']);
    assert.deepEqual(htmlLikePlaceholders('a < b and c > d'), []);
  });
});

describe('plurals through proper messages', () => {
  /** A counted noun written `{n} noun(s)`: one message per number instead. */
  const messagesWithParenS = (texts: string[]) => texts.filter((m) => /\{\d\} \w+\(s\)/.test(m));
  it('no message says "{0} file(s)" (English or the bundle\'s keys)', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
    const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
    assert.deepEqual(messagesWithParenS([...Object.keys(bundle), ...Object.values(nls)]), []);
    assert.ok(bundle['Downloaded 1 file of {0} to {1}.'] && bundle['Downloaded {0} files of {1} to {2}.'], 'one message per number');
  });
  it('the check finds one (deliberate violation)', () => {
    assert.deepEqual(messagesWithParenS(['Downloaded {0} file(s) of {1}.', 'Downloaded 2 files.']), ['Downloaded {0} file(s) of {1}.']);
  });
});
