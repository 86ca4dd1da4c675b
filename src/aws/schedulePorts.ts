import type { SchedulePorts } from '../core/schedule/service';
import type { AwsClients } from './index';
import { awsSubmitPorts } from './submitPorts';

/** The scheduling ports over the AWS wrappers (the submission ports for account, bucket and uploads). */
export function awsSchedulePorts(aws: AwsClients): SchedulePorts {
  const s = awsSubmitPorts(aws);
  return {
    region: s.region,
    account: s.account,
    ensureBucket: s.ensureBucket,
    upload: s.upload,
    describePipeline: async (name) => (await aws.pipelines()).describePipeline(name),
    createPipeline: async (req) => (await aws.pipelines()).createPipeline(req),
    updatePipeline: async (req) => (await aws.pipelines()).updatePipeline(req),
    deletePipeline: async (name) => (await aws.pipelines()).deletePipeline(name),
    startPipelineExecution: async (name) => (await aws.pipelines()).startPipelineExecution(name),
    listPipelineExecutions: async (name) => (await aws.pipelines()).listPipelineExecutions(name),
    executionJobs: async (arn) => (await aws.pipelines()).executionJobs(arn),
    ensureScheduleGroup: async (name, tags) => (await aws.scheduler()).ensureScheduleGroup(name, tags),
    getSchedule: async (group, name) => (await aws.scheduler()).getSchedule(group, name),
    createSchedule: async (req) => (await aws.scheduler()).createSchedule(req),
    updateSchedule: async (req) => (await aws.scheduler()).updateSchedule(req),
    listSchedules: async (group) => (await aws.scheduler()).listSchedules(group),
    deleteSchedule: async (group, name) => (await aws.scheduler()).deleteSchedule(group, name),
  };
}
