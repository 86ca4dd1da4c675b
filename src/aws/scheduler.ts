import {
  SchedulerClient,
  CreateScheduleCommand,
  UpdateScheduleCommand,
  GetScheduleCommand,
  paginateListSchedules,
  DeleteScheduleCommand,
  CreateScheduleGroupCommand,
  GetScheduleGroupCommand,
  type GetScheduleCommandOutput,
} from '@aws-sdk/client-scheduler';
import type { AwsTarget } from '../core/settings';
import type { ScheduleInfo } from '../core/schedule/service';
import type { ScheduleRequest } from '../core/schedule/pipeline';
import { pipelineNameFromArn } from '../core/schedule/service';
import { clientConfig } from './clientConfig';
import { isNotFound } from './errors';

function toInfo(s: Omit<Partial<GetScheduleCommandOutput>, 'Target'> & { Target?: { Arn?: string; RoleArn?: string } }): ScheduleInfo {
  const targetArn = s.Target?.Arn ?? '';
  return {
    name: s.Name ?? '',
    group: s.GroupName ?? 'default',
    arn: s.Arn,
    expression: s.ScheduleExpression ?? '',
    timezone: s.ScheduleExpressionTimezone || 'UTC',
    state: s.State ?? '',
    startDate: s.StartDate,
    endDate: s.EndDate,
    creationDate: s.CreationDate,
    targetArn,
    targetRoleArn: s.Target?.RoleArn,
    pipelineName: pipelineNameFromArn(targetArn),
  };
}

/** Thin typed wrapper over EventBridge Scheduler. */
export class SchedulerApi {
  readonly client: SchedulerClient;
  constructor(target: AwsTarget) {
    this.client = new SchedulerClient(clientConfig(target, 'scheduler'));
  }

  async createSchedule(req: ScheduleRequest): Promise<string> {
    return (await this.client.send(new CreateScheduleCommand(req))).ScheduleArn ?? '';
  }

  async updateSchedule(req: ScheduleRequest): Promise<string> {
    return (await this.client.send(new UpdateScheduleCommand(req))).ScheduleArn ?? '';
  }

  async getSchedule(group: string, name: string): Promise<ScheduleInfo | undefined> {
    try {
      return toInfo(await this.client.send(new GetScheduleCommand({ GroupName: group, Name: name })));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Every schedule of a group (all pages); an unknown group has none. */
  async listSchedules(group: string): Promise<ScheduleInfo[]> {
    const out: ScheduleInfo[] = [];
    try {
      for await (const page of paginateListSchedules({ client: this.client, pageSize: 100, stopOnSameToken: true }, { GroupName: group })) {
        for (const s of page.Schedules ?? []) out.push(toInfo({ ...s, Target: { Arn: s.Target?.Arn } }));
      }
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
    return out;
  }

  async deleteSchedule(group: string, name: string): Promise<void> {
    await this.client.send(new DeleteScheduleCommand({ GroupName: group, Name: name }));
  }

  /** Creates the group with its tags unless it exists. */
  async ensureScheduleGroup(name: string, tags: { Key: string; Value: string }[]): Promise<void> {
    try {
      await this.client.send(new GetScheduleGroupCommand({ Name: name }));
      return;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    try {
      await this.client.send(new CreateScheduleGroupCommand({ Name: name, Tags: tags }));
    } catch (e) {
      if ((e as { name?: string })?.name !== 'ConflictException') throw e;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
