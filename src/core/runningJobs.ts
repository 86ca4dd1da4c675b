import { isTerminal, type JobSummary, type ListJobsFilter } from './jobs';
import { fetchAll, type ListJobsFn } from './pagination';
import { classifyAwsError } from './awsErrors';

/** The calls a poll needs (src/aws/sagemaker implements them). */
export interface RunningJobsPort {
  list: ListJobsFn;
  /** DescribeProcessingJob as a summary. */
  describe(name: string): Promise<JobSummary>;
}

export interface PollOutcome {
  /** Jobs running now (InProgress, and Stopping ones that have not stopped yet). */
  running: JobSummary[];
  /** New summaries of jobs that changed (running ones and those that just left InProgress). */
  updates: JobSummary[];
  /** Watched jobs that ended in this poll. */
  ended: JobSummary[];
  /** Whether polling should go on. */
  active: boolean;
  /** API calls made. */
  calls: number;
}

/**
 * Tracks running and watched jobs across polls: one ListProcessingJobs(StatusEquals=InProgress) (all pages) per poll,
 * and one Describe only for a job that just left InProgress (or a watched job not listed), so the cost per poll does
 * not grow with the number of running jobs.
 */
export class RunningJobsTracker {
  private running = new Map<string, JobSummary>();
  private readonly watched = new Map<string, JobSummary | undefined>();

  constructor(private readonly port: () => Promise<RunningJobsPort>) {}

  watch(name: string): void {
    if (!this.watched.has(name)) this.watched.set(name, undefined);
  }

  /** Jobs the tree shows as running (InProgress or Stopping) are tracked too, so their end is noticed. */
  seen(jobs: readonly JobSummary[]): void {
    for (const j of jobs) if (!isTerminal(j.status)) this.running.set(j.name, j);
  }

  /** Forgets the running jobs (the account or region changed); a poll already in flight then changes nothing. */
  reset(): void {
    this.running.clear();
    this.epoch++;
  }

  private epoch = 0;

  get runningJobs(): JobSummary[] {
    return [...this.running.values()];
  }

  get watchedNames(): string[] {
    return [...this.watched.keys()];
  }

  /** The latest summary of a watched job (undefined until a poll saw it). */
  watchedJob(name: string): JobSummary | undefined {
    return this.watched.get(name);
  }

  /**
   * One poll. `alsoCheck` are names of jobs shown as not ended (e.g. Stopping) that should be described when not listed.
   * With `since` (the jobs view is visible: a live list), the one ListProcessingJobs asks for every job created after
   * `since` — or after the oldest job followed, if older — whatever its status, instead of only InProgress ones: jobs
   * started elsewhere (the CLI, another window) are among the updates even when they ended before this poll, and the
   * running ones are still all listed.
   */
  async poll(alsoCheck: readonly string[] = [], o: { since?: Date } = {}): Promise<PollOutcome> {
    const epoch = this.epoch;
    const port = await this.port();
    let filter: ListJobsFilter = { status: 'InProgress' };
    if (o.since) {
      let after = o.since.getTime();
      for (const j of [...this.running.values(), ...[...this.watched.values()].filter((w): w is JobSummary => !!w)]) after = Math.min(after, j.creationTime.getTime() - 1000);
      filter = { creationTimeAfter: new Date(after) };
    }
    const listed = await fetchAll(port.list, filter);
    let calls = listed.calls;
    const now = new Map(listed.jobs.filter((j) => !isTerminal(j.status)).map((j) => [j.name, j]));
    const updates: JobSummary[] = o.since ? listed.jobs.filter((j) => !now.has(j.name) && !this.running.has(j.name) && !this.watched.has(j.name)) : [];
    updates.push(...now.values());
    const ended: JobSummary[] = [];
    const candidates = new Set([...this.running.keys(), ...this.watched.keys(), ...alsoCheck]);
    const stopping = new Map<string, JobSummary>();
    let stillOpen = false;
    for (const name of candidates) {
      if (now.has(name)) continue;
      let s: JobSummary;
      try {
        s = await port.describe(name);
        calls++;
      } catch (err) {
        calls++;
        const kind = classifyAwsError(err).kind;
        if (kind === 'notFound' || kind === 'validation') {
          this.watched.delete(name);
          continue;
        }
        throw err;
      }
      updates.push(s);
      // Stopping (not listed as InProgress) still runs: it counts as running until it has stopped.
      if (!isTerminal(s.status)) {
        stillOpen = true;
        stopping.set(name, s);
      }
      if (this.watched.has(name)) {
        if (isTerminal(s.status)) {
          this.watched.delete(name);
          ended.push(s);
        } else this.watched.set(name, s);
      }
    }
    if (epoch !== this.epoch) return { running: [], updates: [], ended: [], active: true, calls };
    for (const [name, j] of now) if (this.watched.has(name)) this.watched.set(name, j);
    this.running = new Map([...now, ...stopping]);
    return { running: [...this.running.values()], updates, ended, active: now.size > 0 || this.watched.size > 0 || stillOpen, calls };
  }
}
