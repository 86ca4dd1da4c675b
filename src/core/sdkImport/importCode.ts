/**
 * The one path from code to imported jobs, shared by the command, the code action and the tests: a Python file (or a
 * selection in it) or a notebook cell (with the cells above it) → parsed by `parse` (the user's Python, see
 * src/local/pythonAst.ts) → importFromModule.
 */
import { t } from '../l10n';
import { importFromModule, type ImportResult } from './fromCode';
import { notebookSource, type CellText, type WriteFileCell } from './notebook';
import type { PyAstResult } from './pyAst';

export type Parse = (source: string) => Promise<PyAstResult>;

export interface CodeImport extends ImportResult {
  /** `%%writefile` cells above (and including) the chosen cell. */
  writefiles: WriteFileCell[];
  /** Cells left out because they do not parse as Python (0-based indexes). */
  skippedCells: number[];
}

/** A Python file; `range` (1-based lines) narrows to the run() calls of a selection. */
export async function importFromPythonText(text: string, parse: Parse, range?: { startLine: number; endLine: number }): Promise<CodeImport> {
  const r = await parse(text);
  if (!r.ok) return { jobs: [], reason: t('The code does not parse as Python (line {0}): {1}', r.line ?? '?', r.error), writefiles: [], skippedCells: [] };
  return { ...importFromModule(r.tree, range), writefiles: [], skippedCells: [] };
}

/** Cell `index` of a notebook, with the variables of the code cells above it (cells that do not parse are skipped). */
export async function importFromNotebookCells(cells: CellText[], index: number, parse: Parse): Promise<CodeImport> {
  const skip = new Set<number>();
  for (let attempt = 0; attempt <= cells.length; attempt++) {
    const nb = notebookSource(cells, index, skip);
    const r = await parse(nb.source);
    if (r.ok) return { ...importFromModule(r.tree, nb.range), writefiles: nb.writefiles, skippedCells: [...skip].sort((a, b) => a - b) };
    const bad = r.line !== undefined ? nb.cellOfLine[r.line - 1] : undefined;
    if (bad === undefined || bad === index || skip.has(bad)) {
      return { jobs: [], reason: t('The cell does not parse as Python (line {0}): {1}', r.line !== undefined && bad === index ? r.line - nb.range.startLine + 1 : r.line ?? '?', r.error), writefiles: nb.writefiles, skippedCells: [...skip] };
    }
    skip.add(bad);
  }
  return { jobs: [], reason: t('The notebook does not parse as Python.'), writefiles: [], skippedCells: [...skip] };
}
