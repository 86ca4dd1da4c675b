// Job inputs as SageMaker gives them: each instance gets its own writable copy of every input under
// /opt/ml/processing/… (a sourceDir job unpacks its code next to sourcedir.tar.gz; a script may write beside its data).
import * as fs from 'node:fs';
import type { StagedInput } from '../../../src/core/local/plan';

/**
 * The staged input of one instance: the downloaded folder itself for its first user (`own`), else a copy of it
 * (`<dir>-<host>`), so that what one instance writes into its input never shows in another's.
 */
export function writableInput(name: string, destination: string, dir: string, host: string, own: boolean): StagedInput {
  let hostPath = dir;
  if (!own) {
    hostPath = `${dir}-${host}`;
    fs.cpSync(dir, hostPath, { recursive: true });
  }
  return { name, destination, kind: 'dir', hostPath, owned: true, writable: true };
}
