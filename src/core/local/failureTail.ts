// The last lines of a failed local run's container output, kept in workspaceState so its failure summary (the last
// traceback, the failing line) survives a reload — small and bounded: the end of each instance's output only.
import type { InstanceLog } from '../failure/summary';

/** At most this many lines of each instance. */
export const TAIL_LINES = 120;
/** At most this many characters of a run's stored lines (split between its instances), and of one line. */
export const TAIL_CHARS = 32 * 1024;
export const TAIL_LINE_CHARS = 1000;
/** At most this many instances of a run, and runs, are kept. */
export const TAIL_INSTANCES = 8;
export const TAIL_RUNS = 10;

export interface StoredTail {
  name: string;
  /** Per instance: `[timestamp, line]`, oldest first. */
  hosts: { instance: string; events: [number, string][] }[];
}

/** The stored tail of a run's output (the end of each instance's lines, within the bounds above). */
export function tailOf(name: string, logs: readonly InstanceLog[]): StoredTail {
  const hosts = logs.slice(0, TAIL_INSTANCES);
  const budget = Math.floor(TAIL_CHARS / Math.max(1, hosts.length));
  return {
    name,
    hosts: hosts.map((h) => {
      const events: [number, string][] = [];
      let used = 0;
      for (let i = h.events.length - 1; i >= 0 && events.length < TAIL_LINES; i--) {
        const m = h.events[i].message.slice(0, TAIL_LINE_CHARS);
        if (used + m.length > budget) break;
        used += m.length;
        events.unshift([h.events[i].timestamp, m]);
      }
      return { instance: h.instance, events };
    }),
  };
}

function valid(x: unknown): x is StoredTail {
  const t = x as StoredTail;
  return !!t && typeof t.name === 'string' && Array.isArray(t.hosts)
    && t.hosts.every((h) => h && typeof h.instance === 'string' && Array.isArray(h.events) && h.events.every((e) => Array.isArray(e) && typeof e[0] === 'number' && typeof e[1] === 'string'));
}

/** The stored tails with `add` (replacing one of the same run), the newest TAIL_RUNS; what is malformed is dropped. */
export function keepTails(stored: unknown, add: StoredTail): StoredTail[] {
  const old = Array.isArray(stored) ? stored.filter(valid).filter((t) => t.name !== add.name) : [];
  return [...old, add].slice(-TAIL_RUNS);
}

/** A run's stored tail as the failure summary reads logs (undefined when none is stored). */
export function storedLogs(stored: unknown, name: string): InstanceLog[] | undefined {
  const t = Array.isArray(stored) ? stored.filter(valid).find((x) => x.name === name) : undefined;
  return t?.hosts.map((h) => ({ instance: h.instance, events: h.events.map(([timestamp, message]) => ({ timestamp, message })) }));
}
