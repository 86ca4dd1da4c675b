// The wrappers of AWS clients that only some features use (schedules: EventBridge Scheduler and SageMaker Pipelines;
// a role given by name: IAM), in a bundle of their own (dist/aws-sdk-extra.js), so that running, listing and tailing
// jobs never load them. Add rarely used wrappers here, everyday ones in sdk.ts.
export { SchedulerApi } from './scheduler';
export { PipelinesApi } from './pipelines';
export { IamApi } from './iam';
