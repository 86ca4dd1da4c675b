import {
  SageMakerClient,
  CreatePipelineCommand,
  UpdatePipelineCommand,
  DescribePipelineCommand,
  DeletePipelineCommand,
  StartPipelineExecutionCommand,
  ListPipelineExecutionsCommand,
  paginateListPipelineExecutionSteps,
  ListTagsCommand,
} from '@aws-sdk/client-sagemaker';
import type { AwsTarget } from '../core/settings';
import type { PipelineRequest } from '../core/schedule/pipeline';
import type { PipelineExecution } from '../core/schedule/service';
import { clientConfig } from './clientConfig';
import { classifyAwsError } from './errors';

/** Thin typed wrapper over the SageMaker Pipelines APIs that scheduling uses. */
export class PipelinesApi {
  readonly client: SageMakerClient;
  constructor(target: AwsTarget) {
    this.client = new SageMakerClient(clientConfig(target, 'sagemaker'));
  }

  async describePipeline(name: string): Promise<{ arn: string; definition: string; roleArn?: string; tags: { Key: string; Value: string }[] } | undefined> {
    let out;
    try {
      out = await this.client.send(new DescribePipelineCommand({ PipelineName: name }));
    } catch (e) {
      if (classifyAwsError(e).kind === 'notFound') return undefined;
      throw e;
    }
    const arn = out.PipelineArn ?? '';
    const tags = (await this.client.send(new ListTagsCommand({ ResourceArn: arn }))).Tags ?? [];
    return { arn, definition: out.PipelineDefinition ?? '', roleArn: out.RoleArn, tags: tags.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })) };
  }

  async createPipeline(req: PipelineRequest): Promise<string> {
    return (await this.client.send(new CreatePipelineCommand({ ...req, ClientRequestToken: undefined }))).PipelineArn ?? '';
  }

  async updatePipeline(req: PipelineRequest): Promise<string> {
    const { Tags: _t, ...rest } = req;
    return (await this.client.send(new UpdatePipelineCommand(rest))).PipelineArn ?? '';
  }

  async deletePipeline(name: string): Promise<void> {
    await this.client.send(new DeletePipelineCommand({ PipelineName: name, ClientRequestToken: `delete-${name}-${Date.now()}`.slice(0, 128) }));
  }

  async startPipelineExecution(name: string): Promise<string> {
    return (await this.client.send(new StartPipelineExecutionCommand({ PipelineName: name }))).PipelineExecutionArn ?? '';
  }

  async listPipelineExecutions(name: string): Promise<PipelineExecution[]> {
    const out = await this.client.send(new ListPipelineExecutionsCommand({ PipelineName: name, SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 50 }));
    return (out.PipelineExecutionSummaries ?? []).map((e) => ({
      arn: e.PipelineExecutionArn ?? '',
      status: e.PipelineExecutionStatus ?? '',
      startTime: e.StartTime,
      displayName: e.PipelineExecutionDisplayName,
      failureReason: e.PipelineExecutionFailureReason && e.PipelineExecutionFailureReason !== 'None' ? e.PipelineExecutionFailureReason : undefined,
    }));
  }

  /** The processing jobs an execution's steps started (ListPipelineExecutionSteps, every page). */
  async executionJobs(executionArn: string): Promise<string[]> {
    const arns: string[] = [];
    for await (const page of paginateListPipelineExecutionSteps({ client: this.client, stopOnSameToken: true }, { PipelineExecutionArn: executionArn })) {
      for (const s of page.PipelineExecutionSteps ?? []) if (s.Metadata?.ProcessingJob?.Arn) arns.push(s.Metadata.ProcessingJob.Arn);
    }
    return arns;
  }

  destroy(): void {
    this.client.destroy();
  }
}
