// read_job_logs: a job's CloudWatch log lines (every instance's stream, merged by time), filtered and cut to the last
// N, read through the log tailer's port (LogsApi). Bounded: at most MAX_EVENTS_READ events are read and at most
// MAX_LOG_CHARS characters returned, each with a note when it cut.
import { PROCESSING_LOG_GROUP, type LogsApiPort } from '../logs/types';

export const MAX_EVENTS_READ = 200_000;
export const MAX_LOG_CHARS = 16_000;
export const MAX_LINE_CHARS = 2_000;

export interface ReadLogsOptions {
  tail: number;
  start?: number;
  end?: number;
  filter?: string;
  instance?: string;
  signal?: AbortSignal;
}

export interface ReadLogsResult {
  lines: string[];
  matched: number;
  scanned: number;
  streams: number;
  notes: string[];
}

/** `<job>/algo-2-1700000000` → `algo-2`. */
function instanceOf(stream: string): string {
  return /\/(algo-\d+)(?:-|$)/.exec(stream)?.[1] ?? stream;
}

export async function readJobLogs(logs: LogsApiPort, job: string, o: ReadLogsOptions): Promise<ReadLogsResult> {
  const notes: string[] = [];
  let streams = (await logs.listStreams(PROCESSING_LOG_GROUP, `${job}/`, o.signal)).filter((s) => s.name.startsWith(`${job}/`));
  const all = streams.length;
  if (o.instance) streams = streams.filter((s) => instanceOf(s.name) === o.instance);
  if (!all) notes.push('no log streams yet (the job has not started, or wrote nothing)');
  else if (!streams.length) notes.push(`no stream of instance ${o.instance}; instances: ${[...new Set((await logs.listStreams(PROCESSING_LOG_GROUP, `${job}/`, o.signal)).map((s) => instanceOf(s.name)))].join(', ')}`);
  const multi = new Set(streams.map((s) => instanceOf(s.name))).size > 1;
  const needle = o.filter?.toLowerCase();
  const events: { ts: number; n: number; line: string }[] = [];
  let scanned = 0;
  let n = 0;
  outer: for (const s of streams) {
    // Streams that ended before the range (or started after it) are skipped unread.
    if (o.start !== undefined && s.lastEventTimestamp !== undefined && s.lastEventTimestamp < o.start) continue;
    if (o.end !== undefined && s.firstEventTimestamp !== undefined && s.firstEventTimestamp >= o.end) continue;
    let token: string | undefined;
    for (;;) {
      const page = await logs.getEvents(PROCESSING_LOG_GROUP, s.name, token, o.signal);
      for (const e of page.events) {
        scanned++;
        if (o.start !== undefined && e.timestamp < o.start) continue;
        if (o.end !== undefined && e.timestamp >= o.end) continue;
        for (const raw of e.message.replace(/\r?\n$/, '').split(/\r?\n/)) {
          if (needle && !raw.toLowerCase().includes(needle)) continue;
          const text = raw.length > MAX_LINE_CHARS ? `${raw.slice(0, MAX_LINE_CHARS)}… [line cut: ${raw.length} characters]` : raw;
          events.push({ ts: e.timestamp, n: n++, line: multi ? `[${instanceOf(s.name)}] ${text}` : text });
        }
      }
      if (scanned >= MAX_EVENTS_READ) {
        notes.push(`stopped reading after ${MAX_EVENTS_READ} events: narrow the time range to see later lines`);
        break outer;
      }
      if (!page.events.length || !page.nextForwardToken || page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
  }
  events.sort((a, b) => a.ts - b.ts || a.n - b.n);
  const matched = events.length;
  let lines = events.slice(Math.max(0, matched - o.tail)).map((e) => e.line);
  if (matched > lines.length) notes.push(`${matched - lines.length} earlier matching lines left out (tailLines ${o.tail})`);
  let chars = lines.reduce((s, l) => s + l.length + 1, 0);
  let dropped = 0;
  while (chars > MAX_LOG_CHARS && lines.length > 1) {
    chars -= lines[0].length + 1;
    lines = lines.slice(1);
    dropped++;
  }
  if (dropped) notes.push(`${dropped} more earlier lines left out to stay under ${MAX_LOG_CHARS} characters`);
  return { lines, matched, scanned, streams: streams.length, notes };
}
