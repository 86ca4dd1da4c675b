// The walkthrough's context keys, free of `vscode` (package.json's completionEvents are checked against them).
/** The context keys the walkthrough's `completionEvents` wait for (`onContext:<key>`). */
export const WALKTHROUGH_KEYS = {
  /** Jobs were listed with the profile and region in use. */
  connected: 'sagemakerProcessing.walkthrough.connected',
  /** A folder's definition file defines at least one job. */
  hasDefinition: 'sagemakerProcessing.walkthrough.hasDefinition',
  /** A local run completed. */
  localRunCompleted: 'sagemakerProcessing.walkthrough.localRunCompleted',
  /** A build-and-push task ended with exit code 0. */
  imagePushed: 'sagemakerProcessing.walkthrough.imagePushed',
  /** A processing job created since the window opened is listed. */
  jobSubmitted: 'sagemakerProcessing.walkthrough.jobSubmitted',
  /** A job's logs were opened (Show Logs, Show Running Jobs). */
  logsOpened: 'sagemakerProcessing.walkthrough.logsOpened',
  /** Outputs of a job were downloaded (at least one file). */
  outputsDownloaded: 'sagemakerProcessing.walkthrough.outputsDownloaded',
} as const;
