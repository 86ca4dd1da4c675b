/**
 * Notebook cells as one Python module for the parser: the code cells up to the chosen one, IPython magics blanked
 * (`%%writefile` cells recorded: their file is the job's script), lines kept so a parse error or a run() call maps back
 * to its cell.
 */
export interface CellText {
  /** Only code cells in Python are read. */
  code: boolean;
  text: string;
}

export interface WriteFileCell {
  cell: number;
  /** The path after `%%writefile` (relative to the notebook's folder when not absolute); `-a` appends. */
  path: string;
  append: boolean;
  /** The cell's text after the magic line. */
  content: string;
}

export interface NotebookSource {
  source: string;
  /** 1-based line of the combined source → cell index (entry i is line i+1). */
  cellOfLine: number[];
  /** The lines of the chosen cell (1-based, inclusive). */
  range: { startLine: number; endLine: number };
  writefiles: WriteFileCell[];
}

/** `%%writefile [-a] path` → its path and mode (the first line of a cell), else undefined. */
export function writefileOf(cellText: string): { path: string; append: boolean; content: string } | undefined {
  const nl = cellText.indexOf('\n');
  const first = (nl < 0 ? cellText : cellText.slice(0, nl)).trim();
  const words = first.split(/\s+/);
  if (words[0] !== '%%writefile') return undefined;
  const args = words.slice(1);
  const append = args[0] === '-a' || args[0] === '--append';
  let p = (append ? args.slice(1) : args).join(' ');
  if ((p.startsWith('"') && p.endsWith('"')) || (p.startsWith("'") && p.endsWith("'"))) p = p.slice(1, -1);
  if (!p) return undefined;
  return { path: p, append, content: nl < 0 ? '' : cellText.slice(nl + 1) };
}

/** Blanks IPython syntax in one cell (a cell magic blanks the whole cell; `%line` and `!shell` lines become `pass`). */
function pythonOfCell(text: string): string {
  const lines = text.split(/\r?\n/);
  if ((lines[0] ?? '').trimStart().startsWith('%%')) return lines.map(() => '').join('\n');
  return lines
    .map((l) => {
      const body = l.trimStart();
      if (body.startsWith('%') || body.startsWith('!')) return `${l.slice(0, l.length - body.length)}pass`;
      return l;
    })
    .join('\n');
}

/** The module the parser reads for cell `index` (cells in `skip` are left out, e.g. ones that do not parse). */
export function notebookSource(cells: CellText[], index: number, skip: ReadonlySet<number> = new Set()): NotebookSource {
  const parts: string[] = [];
  const cellOfLine: number[] = [];
  const writefiles: WriteFileCell[] = [];
  let range = { startLine: 1, endLine: 0 };
  for (let i = 0; i <= index && i < cells.length; i++) {
    const c = cells[i];
    if (!c.code) continue;
    const wf = writefileOf(c.text);
    if (wf) writefiles.push({ cell: i, ...wf });
    const py = skip.has(i) ? '' : pythonOfCell(c.text);
    const lines = py.split('\n');
    const start = cellOfLine.length + 1;
    for (let k = 0; k < lines.length; k++) cellOfLine.push(i);
    if (i === index) range = { startLine: start, endLine: start + lines.length - 1 };
    parts.push(py);
  }
  return { source: parts.join('\n') + '\n', cellOfLine, range, writefiles };
}
