import { isTerminal, type JobSummary } from './jobs';
import { fetchAll, type ListJobsFn } from './pagination';
import { classifyAwsError } from './awsErrors';

/** The calls a poll needs (src/aws/sagemaker implements them). */
export interface RunningJobsPort {
  list: ListJobsFn;
  /** DescribeProcessingJob as a summary. */
  describe(name: string): Promise<JobSummary>;
}

export interface PollOutcome {
  /** Jobs in progress now. */
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

  /** Jobs the tree shows as running (InProgress) are tracked too, so their end is noticed. */
  seen(jobs: readonly JobSummary[]): void {
    for (const j of jobs) if (j.status === 'InProgress') this.running.set(j.name, j);
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

  /** One poll. `alsoCheck` are names of jobs shown as not ended (e.g. Stopping) that should be described when not listed. */
  async poll(alsoCheck: readonly string[] = []): Promise<PollOutcome> {
    const epoch = this.epoch;
    const port = await this.port();
    const listed = await fetchAll(port.list, { status: 'InProgress' });
    let calls = listed.calls;
    const now = new Map(listed.jobs.map((j) => [j.name, j]));
    const updates: JobSummary[] = [...now.values()];
    const ended: JobSummary[] = [];
    const candidates = new Set([...this.running.keys(), ...this.watched.keys(), ...alsoCheck]);
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
      if (!isTerminal(s.status)) stillOpen = true;
      if (this.watched.has(name)) {
        if (isTerminal(s.status)) {
          this.watched.delete(name);
          ended.push(s);
        } else this.watched.set(name, s);
      }
    }
    if (epoch !== this.epoch) return { running: [], updates: [], ended: [], active: true, calls };
    for (const [name, j] of now) if (this.watched.has(name)) this.watched.set(name, j);
    this.running = now;
    return { running: [...now.values()], updates, ended, active: now.size > 0 || this.watched.size > 0 || stillOpen, calls };
  }
}
