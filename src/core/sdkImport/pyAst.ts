/**
 * The JSON form of a Python `ast` tree printed by src/local/pythonAst.ts (PY_AST_HELPER): each node has `_type` (the
 * ast class name), its fields, and `_line` (1-based), `_col` and `_src` (the expression's text) where Python knows them.
 */
export interface PyNode {
  _type: string;
  _line?: number;
  _col?: number;
  /** Last line (1-based) of a statement or expression. */
  _end?: number;
  _src?: string;
  [field: string]: unknown;
}

export type PyAstResult = { ok: true; tree: PyNode } | { ok: false; error: string; line?: number };

export function isNode(v: unknown): v is PyNode {
  return !!v && typeof v === 'object' && typeof (v as PyNode)._type === 'string';
}

export function nodes(v: unknown): PyNode[] {
  return Array.isArray(v) ? v.filter(isNode) : [];
}

/** `a.b.c` of a Name/Attribute chain, or undefined. */
export function dottedName(n: unknown): string | undefined {
  if (!isNode(n)) return undefined;
  if (n._type === 'Name') return String(n.id);
  if (n._type === 'Attribute') {
    const base = dottedName(n.value);
    return base ? `${base}.${String(n.attr)}` : undefined;
  }
  return undefined;
}
