import {
  SageMakerClient,
  ListProcessingJobsCommand,
  DescribeProcessingJobCommand,
  CreateProcessingJobCommand,
  StopProcessingJobCommand,
  type CreateProcessingJobCommandInput,
  type DescribeProcessingJobCommandOutput,
} from '@aws-sdk/client-sagemaker';
import type { AwsTarget } from '../core/settings';
import type { JobPage, JobSummary, ListJobsFilter } from '../core/jobs';
import { clientConfig } from './clientConfig';
import { summaryFromDescription } from '../core/jobDetails';

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

  async describeProcessingJob(name: string, signal?: AbortSignal): Promise<ProcessingJobDescription> {
    const { $metadata: _m, ...rest } = await this.client.send(new DescribeProcessingJobCommand({ ProcessingJobName: name }), { abortSignal: signal });
    return rest;
  }

  /** The job, or undefined when SageMaker has none of that name (ValidationException "Could not find …"). */
  async findProcessingJob(name: string, signal?: AbortSignal): Promise<ProcessingJobDescription | undefined> {
    try {
      return await this.describeProcessingJob(name, signal);
    } catch (err) {
      const e = err as { name?: string; message?: string };
      if (e.name === 'ResourceNotFound' || (e.name === 'ValidationException' && /could not find|not found|does not exist/i.test(e.message ?? ''))) return undefined;
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
