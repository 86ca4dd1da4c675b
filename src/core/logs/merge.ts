import { instanceOf } from './format';
import type { LogRecord, RawLogEvent } from './types';

interface Pending {
  ts: number;
  /** Instance number of the stream (algo-<n>), +Infinity for other names. */
  inst: number;
  stream: string;
  /** Arrival order within the stream: events with equal timestamps keep it. */
  seq: number;
  arrival: number;
  rec: LogRecord;
}

function compare(a: Pending, b: Pending): number {
  return a.ts - b.ts || a.inst - b.inst || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0) || a.seq - b.seq;
}

/**
 * Merges the events of several streams in timestamp order. Events are held for `windowMs` (wall time) after they
 * arrive, so a stream that is read a little later can still slot its events in between; events with equal timestamps
 * come out in stream order (algo-1, algo-2, …), and within a stream in the order they were read. An event that arrives
 * after later ones were already shown is still shown (never dropped), at the next release.
 */
export class LogMerger {
  private pending: Pending[] = [];
  private sorted = true;
  private seq = new Map<string, number>();
  private inst = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  get size(): number {
    return this.pending.length;
  }

  add(stream: string, events: readonly RawLogEvent[], arrival: number): void {
    if (!events.length) return;
    let inst = this.inst.get(stream);
    if (inst === undefined) {
      const m = /^algo-(\d+)$/.exec(instanceOf(stream));
      inst = m ? Number(m[1]) : Number.POSITIVE_INFINITY;
      this.inst.set(stream, inst);
    }
    const instance = instanceOf(stream);
    let seq = this.seq.get(stream) ?? 0;
    const last = this.pending[this.pending.length - 1];
    for (const e of events) {
      const p: Pending = { ts: e.timestamp, inst, stream, seq: seq++, arrival, rec: { stream, instance, timestamp: e.timestamp, message: e.message } };
      this.pending.push(p);
    }
    this.seq.set(stream, seq);
    if (this.sorted && last && compare(last, this.pending[this.pending.length - events.length]) > 0) this.sorted = false;
    if (this.sorted) {
      for (let i = this.pending.length - events.length + 1; i < this.pending.length; i++) {
        if (compare(this.pending[i - 1], this.pending[i]) > 0) {
          this.sorted = false;
          break;
        }
      }
    }
  }

  /** The events whose window has passed, and every held event ordered before them, in merged order. */
  release(now: number): LogRecord[] {
    if (!this.pending.length) return [];
    this.sort();
    const cutoff = now - this.windowMs;
    let last = -1;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i].arrival <= cutoff) {
        last = i;
        break;
      }
    }
    if (last < 0) return [];
    const out = this.pending.splice(0, last + 1);
    return out.map((p) => p.rec);
  }

  /** Everything held, in merged order (the job ended, or the caller stops). */
  flush(): LogRecord[] {
    this.sort();
    const out = this.pending.map((p) => p.rec);
    this.pending = [];
    return out;
  }

  /** Milliseconds until the oldest held event may be released (undefined when nothing is held). */
  dueIn(now: number): number | undefined {
    if (!this.pending.length) return undefined;
    let oldest = Number.POSITIVE_INFINITY;
    for (const p of this.pending) if (p.arrival < oldest) oldest = p.arrival;
    return Math.max(0, oldest + this.windowMs - now);
  }

  private sort(): void {
    if (!this.sorted) {
      this.pending.sort(compare);
      this.sorted = true;
    }
  }
}
