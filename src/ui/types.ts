import type * as vscode from 'vscode';
import type { JobSummary } from '../core/jobs';

// Interfaces that several UI modules share, with no imports of the modules that implement or use them, so that a
// provider (the tree) and the command layer can both name them without importing each other.

/** The store of local runs, as the explorer reads it. */
export interface LocalJobStore {
  list(): JobSummary[];
  onDidChange: vscode.Event<void>;
  /** The folder holding a run's outputs, when it has any. */
  outputsDir?(name: string): string | undefined;
  /** Uploads a completed run's outputs to their S3 destinations ("Upload Outputs to S3"). */
  uploadOutputs?(name: string): Promise<void>;
}
