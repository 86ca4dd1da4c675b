// What the extension sends the job page's webview (src/webview/jobPage.ts) and what the page asks back. Types only,
// shared by both sides; every user-visible string arrives translated in `strings`.
import type { JobPageModel, MetricSeries } from '../core/jobPage/model';

export interface OutputListing {
  name: string;
  uri: string;
  files: { key: string; size: number; uri: string }[];
  /** More objects exist under the prefix than are listed. */
  more: boolean;
  error?: string;
}

export interface PageData {
  model: JobPageModel;
  series: MetricSeries[];
  showCost: boolean;
  outputs: OutputListing[];
  /** The metrics could not be read (a whole sentence), or undefined. */
  metricsError?: string;
  /**
   * Why the job failed or stopped (src/core/failure, the same summary as the end notification and the output channel):
   * its headline, the summary's lines, and whether its failing line is a file of this workspace.
   */
  failure?: { headline: string; lines: string[]; failingLine?: string };
  /** Still loading metrics, price and outputs. */
  loading: boolean;
  updatedAt: number;
}

/** The page's strings, translated on the extension side. */
export type PageStrings = Record<
  | 'status' | 'image' | 'digest' | 'instances' | 'created' | 'started' | 'ended' | 'timeline' | 'cost' | 'costHidden'
  | 'utilization' | 'cpu' | 'memory' | 'disk' | 'cpuNote' | 'showTable' | 'time' | 'host' | 'noMetrics' | 'loading'
  | 'outputs' | 'inputs' | 'open' | 'moreObjects' | 'hint' | 'failure' | 'showLogs' | 'updated' | 'running' | 'noOutputs'
  | 'timelineLabel' | 'soFar' | 'bytes' | 'why' | 'openFailingLine' | 'wholeSummary' | 'gpu' | 'gpuMemory',
  string
>;

export type PageMessage =
  | { type: 'open'; uri: string }
  | { type: 'logs' }
  | { type: 'failingLine' }
  | { type: 'ready' };

export type HostMessage = { type: 'data'; data: PageData };
