import {
  SageMakerClient,
  ListProcessingJobsCommand,
  DescribeProcessingJobCommand,
  CreateProcessingJobCommand,
  StopProcessingJobCommand,
  paginateListProcessingJobs,
  waitForProcessingJobCompletedOrStopped,
  type CreateProcessingJobCommandInput,
  type DescribeProcessingJobCommandOutput,
} from '@aws-sdk/client-sagemaker';
import type { AwsTarget } from '../core/settings';
import { isTerminal, type JobPage, type JobStatus, type JobSummary, type ListJobsFilter } from '../core/jobs';
import { clientConfig } from './clientConfig';
import { isNotFound } from './errors';
import { summaryFromDescription } from '../core/jobDetails';
import { t } from '../core/l10n';

/** SageMaker's default (and the usual) MaxRuntimeInSeconds: a day. */
const DEFAULT_MAX_RUNTIME_S = 86_400;

/** How a wait for a job's end came out: the job's last description, or why there is none. */
export type JobEndWait =
  | { state: 'ended'; description: ProcessingJobDescription }
  | { state: 'timeout' | 'aborted' };

export type CreateProcessingJobRequest = CreateProcessingJobCommandInput;
export type ProcessingJobDescription = Omit<DescribeProcessingJobCommandOutput, '$metadata'>;

/** Thin typed wrapper over the SageMaker processing-job APIs. */
export class SageMakerApi {
  readonly client: SageMakerClient;
  constructor(target: AwsTarget) {
    this.client = new SageMakerClient(clientConfig(target, 'sagemaker'));
  }

  async listProcessingJobs(filter: ListJobsFilter = {}, nextToken?: string, maxResults = 100, signal?: AbortSignal): Promise<JobPage> {
    const out = await this.client.send(
      new ListProcessingJobsCommand({
        MaxResults: maxResults,
        NextToken: nextToken,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        StatusEquals: filter.status,
        NameContains: filter.nameContains,
        CreationTimeAfter: filter.creationTimeAfter,
        CreationTimeBefore: filter.creationTimeBefore,
      }),
      { abortSignal: signal },
    );
    // A summary has the same fields as a description, so one mapping serves both.
    const jobs: JobSummary[] = (out.ProcessingJobSummaries ?? []).map(summaryFromDescription);
    return { jobs, nextToken: out.NextToken || undefined };
  }

  /**
   * Every job matching the filter, newest first as the service sorts them, all pages (ListProcessingJobs paginator),
   * stopping once `max` are collected.
   */
  async listAllProcessingJobs(filter: ListJobsFilter = {}, o: { max?: number; signal?: AbortSignal } = {}): Promise<JobSummary[]> {
    const max = o.max ?? Infinity;
    const jobs: JobSummary[] = [];
    const pages = paginateListProcessingJobs({ client: this.client, pageSize: 100, stopOnSameToken: true }, {
      SortBy: 'CreationTime', SortOrder: 'Descending', StatusEquals: filter.status, NameContains: filter.nameContains,
      CreationTimeAfter: filter.creationTimeAfter, CreationTimeBefore: filter.creationTimeBefore,
    }, { abortSignal: o.signal });
    for await (const page of pages) {
      jobs.push(...(page.ProcessingJobSummaries ?? []).map(summaryFromDescription));
      if (jobs.length >= max) break;
    }
    return jobs;
  }

  /**
   * Waits until the job is Completed, Stopped or Failed with the SDK's waiter (ProcessingJobCompletedOrStopped),
   * polling every `pollSeconds`, for at most `maxWaitSeconds` (default: the job's own MaxRuntimeInSeconds plus an
   * hour, as SageMaker stops it by then). The first DescribeProcessingJob is ours, so a job that does not exist or
   * credentials that do not work fail at once (the waiter itself retries every error but ValidationException).
   */
  async waitForJobEnd(name: string, o: { pollSeconds: number; maxWaitSeconds?: number; signal?: AbortSignal }): Promise<JobEndWait> {
    const first = await this.describeProcessingJob(name, o.signal);
    if (isTerminal(first.ProcessingJobStatus as JobStatus)) return { state: 'ended', description: first };
    const maxWaitTime = o.maxWaitSeconds ?? (first.StoppingCondition?.MaxRuntimeInSeconds ?? DEFAULT_MAX_RUNTIME_S) + 3600;
    const r = await waitForProcessingJobCompletedOrStopped({
      client: this.client, minDelay: o.pollSeconds, maxDelay: o.pollSeconds, maxWaitTime: Math.max(maxWaitTime, o.pollSeconds * 2), abortSignal: o.signal,
    }, { ProcessingJobName: name });
    if (r.state === 'TIMEOUT' || r.state === 'ABORTED') return { state: r.state === 'TIMEOUT' ? 'timeout' : 'aborted' };
    const reason = r.reason as DescribeProcessingJobCommandOutput | Error | undefined;
    // FAILURE is either the Failed status (reason = the description) or a ValidationException (reason = the error).
    if (!reason || reason instanceof Error || !('ProcessingJobStatus' in reason)) throw reason ?? new Error(t('Waiting for {0} failed.', name));
    const { $metadata: _m, ...description } = reason;
    return { state: 'ended', description };
  }

  async describeProcessingJob(name: string, signal?: AbortSignal): Promise<ProcessingJobDescription> {
    const { $metadata: _m, ...rest } = await this.client.send(new DescribeProcessingJobCommand({ ProcessingJobName: name }), { abortSignal: signal });
    return rest;
  }

  /** The job, or undefined when SageMaker has none of that name (ValidationException "Could not find …"). */
  async findProcessingJob(name: string, signal?: AbortSignal): Promise<ProcessingJobDescription | undefined> {
    try {
      return await this.describeProcessingJob(name, signal);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async createProcessingJob(req: CreateProcessingJobRequest): Promise<string> {
    const out = await this.client.send(new CreateProcessingJobCommand(req));
    return out.ProcessingJobArn ?? '';
  }

  async stopProcessingJob(name: string): Promise<void> {
    await this.client.send(new StopProcessingJobCommand({ ProcessingJobName: name }));
  }

  destroy(): void {
    this.client.destroy();
  }
}
