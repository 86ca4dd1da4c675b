import type { JobPage, JobSummary, ListJobsFilter } from './jobs';

/** One ListProcessingJobs call: filter, token, page size → a page (the port src/aws/sagemaker implements). */
export type ListJobsFn = (filter: ListJobsFilter, nextToken: string | undefined, maxResults: number) => Promise<JobPage>;

export interface FetchPageOptions {
  /** Items wanted for one visible page (default 100). */
  pageSize?: number;
  /** Upper bound on calls for one page, so a long run of empty pages cannot spin forever (default 20). */
  maxCalls?: number;
}

export interface FetchedPage extends JobPage {
  /** How many API calls it took. */
  calls: number;
}

/**
 * Fetches one page worth of jobs. Services that filter after cutting the page (moto does) return short or even empty
 * pages with a NextToken: keep following the token until a page worth of items is collected or there is no token,
 * bounded by maxCalls. The token returned continues where this stopped.
 */
export async function fetchPage(list: ListJobsFn, filter: ListJobsFilter, token: string | undefined, opts: FetchPageOptions = {}): Promise<FetchedPage> {
  const pageSize = opts.pageSize ?? 100;
  const maxCalls = Math.max(1, opts.maxCalls ?? 20);
  const jobs: JobSummary[] = [];
  const seen = new Set<string>();
  let next = token;
  let calls = 0;
  do {
    const page = await list(filter, next, Math.min(100, Math.max(1, pageSize - jobs.length)));
    calls++;
    for (const j of page.jobs) {
      const id = j.arn || j.name;
      if (seen.has(id)) continue;
      seen.add(id);
      jobs.push(j);
    }
    // A token that does not move would loop: treat it as the end.
    next = page.nextToken && page.nextToken !== next ? page.nextToken : undefined;
  } while (next && jobs.length < pageSize && calls < maxCalls);
  return { jobs, nextToken: next, calls };
}

/** Every job matching the filter (all pages), bounded by maxCalls; used by the poll of running jobs. */
export async function fetchAll(list: ListJobsFn, filter: ListJobsFilter, maxCalls = 100): Promise<FetchedPage> {
  return fetchPage(list, filter, undefined, { pageSize: Number.MAX_SAFE_INTEGER, maxCalls });
}

/** Appends a page to what is shown, without duplicates (a job created meanwhile shifts the pages). */
export function mergeJobs(shown: readonly JobSummary[], more: readonly JobSummary[]): JobSummary[] {
  const ids = new Set(shown.map((j) => j.arn || j.name));
  return [...shown, ...more.filter((j) => !ids.has(j.arn || j.name))];
}
