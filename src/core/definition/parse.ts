import { createScanner, findNodeAtLocation, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
import type { DefinitionProblem } from './types';
import { setOwn } from './variables';
import { t } from '../l10n';

/** Deepest nesting of objects/arrays accepted (a definition needs 5; the parser recurses, so this bounds its stack). */
export const MAX_NESTING = 64;

/** The offset where nesting first gets deeper than `max` (scanned without recursion), if it does. */
export function tooDeep(text: string, max = MAX_NESTING): number | undefined {
  const sc = createScanner(text, false);
  let depth = 0;
  for (let k = sc.scan(); k !== SyntaxKind.EOF; k = sc.scan()) {
    if (k === SyntaxKind.OpenBraceToken || k === SyntaxKind.OpenBracketToken) {
      if (++depth > max) return sc.getTokenOffset();
    } else if (k === SyntaxKind.CloseBraceToken || k === SyntaxKind.CloseBracketToken) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

export type PathSegment = string | number;

/** `['jobs','census','inputs',1,'destination']` → `jobs.census.inputs[1].destination`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let s = '';
  for (const seg of segments) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s;
}

/** Maps offsets to 0-based line/column. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - this.starts[lo] };
  }
}

export interface ParsedText {
  value: unknown;
  tree?: Node;
  problems: DefinitionProblem[];
  lines: LineIndex;
}

/** Parses JSONC (comments, trailing commas) keeping the syntax tree, so problems can point at lines. */
export function parseJsonc(text: string): ParsedText {
  const deep = tooDeep(text);
  if (deep !== undefined) {
    const lines = new LineIndex(text);
    return { value: undefined, problems: [{ path: '', message: t('invalid JSON: nested more than {0} levels deep', MAX_NESTING), severity: 'error', offset: deep, length: 1, ...lines.position(deep) }], lines };
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const lines = new LineIndex(text);
  const problems: DefinitionProblem[] = errors.map((e) => ({
    path: '',
    message: t('invalid JSON: {0}', describeParseError(printParseErrorCode(e.error))), // jsonc-parser's error code, in words
    severity: 'error',
    offset: e.offset,
    length: Math.max(1, e.length),
    ...lines.position(e.offset),
  }));
  const value = tree ? nodeValue(tree) : undefined;
  return { value, tree, problems, lines };
}

function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (k && v) setOwn(o, String(k.value), nodeValue(v));
      }
      return o;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/**
 * Attaches offsets and line/column to problems from their path. A problem about a missing or unknown key points at
 * the key itself when `keyOnly` (unknown keys) or at the closest existing parent.
 */
export function locate(problems: DefinitionProblem[], segmentsOf: (p: DefinitionProblem) => PathSegment[] | undefined, parsed: ParsedText): DefinitionProblem[] {
  if (!parsed.tree) return problems;
  return problems.map((p) => {
    if (p.offset !== undefined) return p;
    const segs = segmentsOf(p);
    if (!segs) return p;
    for (let n = segs.length; n >= 0; n--) {
      const node = findNodeAtLocation(parsed.tree!, segs.slice(0, n));
      if (!node) continue;
      // Point at the property key when the node is a value inside a property.
      const target = node.parent?.type === 'property' && node.parent.children?.[0] ? node.parent.children[0] : node;
      const exact = n === segs.length;
      const offset = exact && node.type !== 'object' && node.type !== 'array' ? node.offset : target.offset;
      const length = exact && node.type !== 'object' && node.type !== 'array' ? node.length : target.length;
      return { ...p, offset, length, ...parsed.lines.position(offset) };
    }
    return p;
  });
}
