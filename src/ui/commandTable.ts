import type { CommandFactory } from './commands';
import { buildCommands } from './buildTask';
import { compareCommands } from './compare';
import { accountCommands } from './account';
import { failureCommands } from './failures';
import { filterCommands } from './filters';
import { jobActionCommands } from './jobActions';
import { jobDocumentCommands } from './jobDocument';
import { jobPageCommands } from './jobPage';
import { localCommands } from './localJobs';
import { localDebugCommands } from './localDebug';
import { logCommands } from './logChannels';
import { runCommands } from './runCommands';
import { scheduleCommands } from './schedules';
import { walkthroughCommands } from './walkthrough';
import { sdkImportCommands } from './sdkImport';

/**
 * Every command of the extension, its full id written out once beside the factory that makes its handler (the
 * rust-analyzer `createCommands()` pattern): grep an id from package.json and you land here, one hop from its code.
 * test/unit/commands.test.ts checks this table against package.json both ways.
 */
export function createCommands() {
  return {
    // Run a definition's job: in the cloud, locally, or as a request to look at.
    'sagemakerProcessing.runJob': runCommands.runJob,
    'sagemakerProcessing.runLocally': localCommands.runLocally,
    'sagemakerProcessing.debugLocally': localDebugCommands.debugLocally,
    'sagemakerProcessing.showRequest': runCommands.showRequest,
    'sagemakerProcessing.createDefinition': runCommands.createDefinition,
    'sagemakerProcessing.editDefinition': runCommands.editDefinition,
    'sagemakerProcessing.copyAsPython': runCommands.copyAsPython,
    'sagemakerProcessing.copyAsCliJson': runCommands.copyAsCliJson,
    'sagemakerProcessing.buildImage': buildCommands.buildImage,
    // The job explorer: list, filter, target.
    'sagemakerProcessing.refresh': filterCommands.refresh,
    'sagemakerProcessing.loadMore': filterCommands.loadMore,
    'sagemakerProcessing.filterStatus': filterCommands.filterStatus,
    'sagemakerProcessing.filterName': filterCommands.filterName,
    'sagemakerProcessing.filterTime': filterCommands.filterTime,
    'sagemakerProcessing.clearFilters': filterCommands.clearFilters,
    'sagemakerProcessing.switchProfile': accountCommands.switchProfile,
    'sagemakerProcessing.switchRegion': accountCommands.switchRegion,
    'sagemakerProcessing.showRunning': jobActionCommands.showRunning,
    // Actions on one job.
    'sagemakerProcessing.showLogs': logCommands.showLogs,
    'sagemakerProcessing.stopJob': jobActionCommands.stopJob,
    'sagemakerProcessing.rerunJob': jobActionCommands.rerunJob,
    'sagemakerProcessing.saveAsDefinition': jobActionCommands.saveAsDefinition,
    'sagemakerProcessing.downloadOutputs': jobActionCommands.downloadOutputs,
    'sagemakerProcessing.openInConsole': jobActionCommands.openInConsole,
    'sagemakerProcessing.openJson': jobDocumentCommands.openJson,
    // The job page (lazy webview): timeline, cost, CPU/memory/disk charts, outputs opened from S3.
    'sagemakerProcessing.showJobPage': jobPageCommands.showJobPage,
    'sagemakerProcessing.copyName': jobActionCommands.copyName,
    'sagemakerProcessing.copyArn': jobActionCommands.copyArn,
    // Compare two runs, or a run and the definition, as a diff of their requests.
    'sagemakerProcessing.compareJobs': compareCommands.compareJobs,
    'sagemakerProcessing.compareWithDefinition': compareCommands.compareWithDefinition,
    'sagemakerProcessing.compareWithLastSuccessful': compareCommands.compareWithLastSuccessful,
    // The walkthrough.
    'sagemakerProcessing.openWalkthrough': walkthroughCommands.openWalkthrough,
    // Daily runs: a pipeline and its EventBridge Scheduler schedule per scheduled job.
    'sagemakerProcessing.scheduleJob': scheduleCommands.scheduleJob,
    'sagemakerProcessing.refreshSchedules': scheduleCommands.refreshSchedules,
    'sagemakerProcessing.scheduleRunNow': scheduleCommands.scheduleRunNow,
    'sagemakerProcessing.schedulePause': scheduleCommands.schedulePause,
    'sagemakerProcessing.scheduleResume': scheduleCommands.scheduleResume,
    'sagemakerProcessing.scheduleDelete': scheduleCommands.scheduleDelete,
    'sagemakerProcessing.scheduleShowRuns': scheduleCommands.scheduleShowRuns,
    // Why did it fail? From a failed run to its failing line.
    'sagemakerProcessing.openFailingLine': failureCommands.openFailingLine,
    'sagemakerProcessing.clearFailureProblems': failureCommands.clearFailureProblems,
    'sagemakerProcessing.rerunLocallyFromFailure': failureCommands.rerunLocallyFromFailure,
    'sagemakerProcessing.debugFailingLine': failureCommands.debugFailingLine,
    // Meet users where their code is: SDK code → a job definition; %%writefile cells run as jobs.
    'sagemakerProcessing.createDefinitionFromCode': sdkImportCommands.createDefinitionFromCode,
    'sagemakerProcessing.runWritefileCell': sdkImportCommands.runWritefileCell,
    'sagemakerProcessing.runWritefileCellLocally': sdkImportCommands.runWritefileCellLocally,
  } satisfies Record<`sagemakerProcessing.${string}`, CommandFactory>;
}

/** The id of a command of this extension. */
export type CommandId = keyof ReturnType<typeof createCommands>;
