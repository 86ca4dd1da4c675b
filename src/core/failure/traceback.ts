// The last traceback in a job's log lines: a Python traceback (with its chain: "During handling of the above
// exception…" / "The above exception was the direct cause…"), or a Java/Spark stack trace (`at pkg.Class.method(File.java:N)`,
// `Caused by:`). Pure: lines in, structure out.

/** One frame of a stack, innermost last for Python (as Python prints it), innermost first for Java (as Java prints it). */
export interface Frame {
  /** The file as the process saw it (a container path for Python; the source file name for Java). */
  file: string;
  /** 1-based line; absent when the stack does not say (`Native Method`, `Unknown Source`). */
  line?: number;
  /** Function (Python) or `pkg.Class.method` (Java). */
  name?: string;
  /** The source line Python printed under the frame. */
  code?: string;
}

export interface PythonException {
  /** `ValueError`, `botocore.exceptions.ClientError`, `SystemExit`, `KeyboardInterrupt`. */
  type: string;
  message: string;
  /** Innermost last: the raising line is the last frame. */
  frames: Frame[];
}

export interface PythonTraceback extends PythonException {
  kind: 'python';
  /** The exceptions before this one in the chain, oldest first, with how each led to the next. */
  chain: (PythonException & { link: 'context' | 'cause' })[];
  /** A Java stack trace in the exception's message (PySpark's Py4JJavaError). */
  java?: JavaTrace;
  /** Index of the traceback's first line in the lines given, and of the line after it. */
  startLine: number;
  endLine: number;
}

export interface JavaException {
  type: string;
  message: string;
  /** Innermost first (the throwing method is the first frame). */
  frames: Frame[];
}

export interface JavaTrace extends JavaException {
  kind: 'java';
  /** `Caused by:` exceptions, in the order printed (the root cause last). */
  causes: JavaException[];
  startLine: number;
}

export type Traceback = PythonTraceback | JavaTrace;

const PY_START = /^\s*Traceback \(most recent call last\):\s*$/;
const PY_FRAME = /^\s*File "(.+)", line (\d+)(?:, in (.+?))?\s*$/;
const PY_CONTEXT = /^\s*During handling of the above exception, another exception occurred:\s*$/;
const PY_CAUSE = /^\s*The above exception was the direct cause of the following exception:\s*$/;
/** `ValueError: msg`, `pkg.mod.Error: msg`, `KeyboardInterrupt`, `SystemExit: 3`. */
const PY_EXC = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;
/** Python 3.11+'s carets under the failing expression. */
const CARETS = /^\s*[~^]+\s*$/;

const JAVA_AT = /^\s+at\s+([\w$.<>/-]+)\.([\w$<>-]+)\((.*?)\)\s*$/;
const JAVA_MORE = /^\s+\.\.\. \d+ more\s*$/;
const JAVA_HEADER = /^(?:Exception in thread "[^"]*"\s+)?((?:[a-zA-Z_$][\w$]*\.)+[A-Z][\w$]*)(?::\s?(.*))?$/;
const JAVA_CAUSED = /^\s*Caused by:\s+((?:[a-zA-Z_$][\w$]*\.)*[A-Z][\w$]*)(?::\s?(.*))?$/;

/** Drops a trailing CR and spaces. */
function clean(line: string): string {
  return line.replace(/\r$/, '').replace(/\s+$/, '');
}

function javaFrame(line: string): Frame | undefined {
  const m = JAVA_AT.exec(line);
  if (!m) return undefined;
  const [, cls, method, where] = m;
  const loc = /^(?:.*\/)?([^/:]+?)(?::(\d+))?$/.exec(where.replace(/^[\w.-]+@[\w.-]+\//, '').replace(/^app\/\/|^[\w.-]+\/\//, ''));
  return { file: loc?.[1] ?? where, ...(loc?.[2] ? { line: Number(loc[2]) } : {}), name: `${cls}.${method}` };
}

/** Parses one Python traceback block from `i` (the `Traceback` line); returns it and the index after it. */
function pythonBlock(lines: string[], i: number): { exc: PythonException; java?: JavaTrace; end: number } {
  const frames: Frame[] = [];
  let n = i + 1;
  while (n < lines.length) {
    const l = clean(lines[n]);
    const f = PY_FRAME.exec(l);
    if (f) {
      const frame: Frame = { file: f[1], line: Number(f[2]), ...(f[3] ? { name: f[3] } : {}) };
      // The source line (indented deeper than `File`), then maybe carets.
      const next = lines[n + 1] !== undefined ? clean(lines[n + 1]) : undefined;
      if (next !== undefined && /^\s{4,}\S/.test(next) && !PY_FRAME.exec(next)) {
        frame.code = next.trim();
        n++;
        if (lines[n + 1] !== undefined && CARETS.test(clean(lines[n + 1]))) n++;
      }
      frames.push(frame);
      n++;
      continue;
    }
    // A line of the job's other stream that landed inside the traceback (CloudWatch interleaves stdout and stderr; the
    // engine reads them from two pipes): an unindented line that is no exception line, with the traceback going on
    // after it (a frame, a frame's source line, or the exception line). Skipped; a frame's source line after it is
    // still that frame's.
    if (l !== '' && !/^\s/.test(l) && !PY_EXC.test(l) && !PY_START.test(l)) {
      const next = lines[n + 1] !== undefined ? clean(lines[n + 1]) : undefined;
      if (next !== undefined && (PY_FRAME.test(next) || /^\s{4,}\S/.test(next) || (!/^\s/.test(next) && PY_EXC.test(next)))) {
        n++;
        const last = frames[frames.length - 1];
        if (last && last.code === undefined && /^\s{4,}\S/.test(next) && !PY_FRAME.test(next)) {
          last.code = next.trim();
          n++;
          if (lines[n] !== undefined && CARETS.test(clean(lines[n]))) n++;
        }
        continue;
      }
    }
    // "[Previous line repeated 996 more times]" and similar notes between frames.
    if (/^\s+\[Previous line repeated/.test(l) || /^\s+\.\.\.\s*$/.test(l) || (l.trim() === '' && frames.length === 0)) {
      n++;
      continue;
    }
    break;
  }
  // The exception line, and the message lines after it until a blank line or the next block.
  let type = '';
  let message = '';
  if (n < lines.length) {
    const l = clean(lines[n]);
    const m = PY_EXC.exec(l.trimStart());
    if (m && !/^\s/.test(l)) {
      type = m[1];
      message = m[2] ?? '';
      n++;
    } else {
      // An exception whose str() has its own shape (e.g. starts with a space): take the line as the message.
      type = '';
      message = l.trim();
      n++;
    }
  }
  const more: string[] = [];
  while (n < lines.length) {
    const l = clean(lines[n]);
    if (l === '' || PY_START.test(l) || PY_CONTEXT.test(l) || PY_CAUSE.test(l)) break;
    more.push(l);
    n++;
  }
  let java: JavaTrace | undefined;
  if (more.some((l) => JAVA_AT.test(l))) {
    const msgLines = [message, ...more];
    java = lastJavaTrace(msgLines.map((l) => l.replace(/^:\s/, '')));
    message = [message, ...more.slice(0, Math.max(0, more.findIndex((l) => JAVA_AT.test(l)) - 1))].filter(Boolean).join('\n');
  } else if (more.length && !more.some((l) => PY_FRAME.test(l))) {
    message = [message, ...more].join('\n');
  }
  return { exc: { type, message, frames }, java, end: n };
}

/** The last Python traceback (with its chain), or undefined. */
export function lastPythonTraceback(lines: readonly string[]): PythonTraceback | undefined {
  const ls = lines.map(clean);
  let start = -1;
  for (let i = ls.length - 1; i >= 0; i--) {
    if (PY_START.test(ls[i])) {
      start = i;
      break;
    }
  }
  if (start < 0) return undefined;
  // Walk back over the chain: a separator line (after blank lines) right before this block means an earlier block.
  const starts = [start];
  const links: ('context' | 'cause')[] = [];
  for (;;) {
    let j = starts[0] - 1;
    while (j >= 0 && ls[j].trim() === '') j--;
    if (j < 0 || !(PY_CONTEXT.test(ls[j]) || PY_CAUSE.test(ls[j]))) break;
    const link = PY_CAUSE.test(ls[j]) ? 'cause' : 'context';
    let k = j - 1;
    while (k >= 0 && !PY_START.test(ls[k])) k--;
    if (k < 0) break;
    starts.unshift(k);
    links.unshift(link);
  }
  const blocks = starts.map((s) => pythonBlock(ls, s));
  const last = blocks[blocks.length - 1];
  return {
    kind: 'python',
    ...last.exc,
    chain: blocks.slice(0, -1).map((b, n) => ({ ...b.exc, link: links[n] })),
    ...(last.java ? { java: last.java } : {}),
    startLine: starts[0],
    endLine: last.end,
  };
}

/** The last Java stack trace (header, frames, `Caused by:`s), or undefined. */
export function lastJavaTrace(lines: readonly string[]): JavaTrace | undefined {
  const ls = lines.map(clean);
  let found: JavaTrace | undefined;
  for (let i = 0; i < ls.length; i++) {
    const h = JAVA_HEADER.exec(ls[i]);
    if (!h || !(ls[i + 1] !== undefined && JAVA_AT.test(ls[i + 1]))) continue;
    const trace: JavaTrace = { kind: 'java', type: h[1], message: h[2] ?? '', frames: [], causes: [], startLine: i };
    let cur: JavaException = trace;
    let n = i + 1;
    for (; n < ls.length; n++) {
      const f = javaFrame(ls[n]);
      if (f) {
        cur.frames.push(f);
        continue;
      }
      if (JAVA_MORE.test(ls[n])) continue;
      const c = JAVA_CAUSED.exec(ls[n]);
      if (c) {
        cur = { type: c[1], message: c[2] ?? '', frames: [] };
        trace.causes.push(cur);
        continue;
      }
      break;
    }
    found = trace;
    i = n - 1;
  }
  return found;
}

/** The last traceback of either kind: the one that starts later in the lines. */
export function lastTraceback(lines: readonly string[]): Traceback | undefined {
  const py = lastPythonTraceback(lines);
  const java = lastJavaTrace(lines);
  if (py && java) return java.startLine >= py.endLine ? java : py;
  return py ?? java;
}

/** The frame that raised: Python's last frame; for Java the root cause's first frame. */
export function raisingFrame(tb: Traceback): Frame | undefined {
  if (tb.kind === 'python') return tb.frames[tb.frames.length - 1];
  const root = tb.causes.length ? tb.causes[tb.causes.length - 1] : tb;
  return root.frames[0] ?? tb.frames[0];
}

/** One line naming the exception: `ValueError: bad value` (the Java root cause's for a Java trace). */
export function exceptionLine(tb: Traceback): string {
  const e = tb.kind === 'java' && tb.causes.length ? tb.causes[tb.causes.length - 1] : tb;
  const msg = e.message.split('\n')[0];
  return e.type ? (msg ? `${e.type}: ${msg}` : e.type) : msg;
}
