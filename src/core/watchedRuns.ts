import { isTerminal, type JobSummary } from './jobs';

/**
 * The local runs being watched (started from this window), oldest first: which one the status bar follows and which
 * ended since the last look. Local runs need no polling: the caller passes the store's list whenever it changes.
 */
export class WatchedLocalRuns {
  private readonly watched = new Set<string>();

  watch(name: string): void {
    this.watched.add(name);
  }

  get names(): string[] {
    return [...this.watched];
  }

  /**
   * The watched runs that ended in `jobs` (the store's list now); they are watched no more. A watched run the list
   * no longer holds is dropped without an end (there is nothing to say about it).
   */
  ended(jobs: readonly JobSummary[]): JobSummary[] {
    const out: JobSummary[] = [];
    for (const name of [...this.watched]) {
      const job = jobs.find((j) => j.name === name);
      if (job && !isTerminal(job.status)) continue;
      this.watched.delete(name);
      if (job) out.push(job);
    }
    return out;
  }

  /** The newest watched run among `running`. */
  focus(running: readonly JobSummary[]): JobSummary | undefined {
    for (const n of [...this.watched].reverse()) {
      const j = running.find((r) => r.name === n);
      if (j) return j;
    }
    return undefined;
  }
}
