// "Re-run Locally" / "Debug Locally" for a job that did not come from this workspace's definition: its own request
// (core/local/replay.ts) with its code found in the workspace when each code object has a workspace file of the same
// size at the same relative place, else downloaded from S3 into a folder of the workspace (so its frames, the failing
// line and breakpoints have a file to point at).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ContainerInput, ContainerSpec } from '../core/definition/containerSpec';
import { ENTRYPOINT_INPUT } from '../core/definition/layout';
import type { ProcessingJobDescriptionLike } from '../core/jobDetails';
import { t } from '../core/l10n';
import { s3RelativePath } from '../core/local/plan';
import { replayPlan, workspaceRootFor } from '../core/local/replay';
import { parseS3Uri } from '../core/s3uri';
import type { S3Port } from './localRunner';

export interface ReplayOptions {
  s3: Pick<S3Port, 'listObjects' | 'downloadToFile'>;
  /** The name of the local run. */
  localName: string;
  /** The workspace file a container path maps to (the failure summary's mapping), if any. */
  mapPath?: (containerPath: string) => string | undefined;
  /** A workspace file for a code object (its path relative to its input, its size), when mapPath found none. */
  locate?: (relative: string, size: number) => string | undefined;
  /** The folder a code input is downloaded to (emptied first). */
  codeDir: (input: string) => string;
  signal?: AbortSignal;
}

export interface JobReplay {
  spec: ContainerSpec;
  notes: string[];
  allowNetwork: boolean;
  roleArn?: string;
  /** Where each code input's files come from. */
  code: { input: string; from: 'workspace' | 'downloaded'; path: string }[];
  /** Every output: never uploaded to the job's own destinations. */
  localOnlyOutputs: string[];
}

function sizeOf(p: string): number | undefined {
  try {
    const st = fs.statSync(p);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

export async function replayJob(d: ProcessingJobDescriptionLike, o: ReplayOptions): Promise<JobReplay> {
  const plan = replayPlan(d, o.localName);
  const notes = [...plan.notes];
  const code: JobReplay['code'] = [];
  const inputs: ContainerInput[] = [];
  for (const input of plan.spec.inputs) {
    if (!plan.codeInputs.includes(input.name) || input.source.kind !== 's3') {
      inputs.push(input);
      continue;
    }
    const uri = input.source.uri;
    const parsed = parseS3Uri(uri);
    const objects = parsed ? (await o.s3.listObjects(parsed.bucket, parsed.key, o.signal)).filter((x) => !x.key.endsWith('/')) : [];
    if (!parsed || !objects.length) {
      inputs.push(input); // the run fails on it as the job would have
      continue;
    }
    const files = objects.map((x) => ({ key: x.key, size: x.size, relative: s3RelativePath(parsed.key, x.key) }));
    const locate = (relative: string, size: number): string | undefined => {
      const mapped = o.mapPath?.(`${input.destination}/${relative}`);
      if (mapped && sizeOf(mapped) === size) return mapped;
      const found = o.locate?.(relative, size);
      return found && sizeOf(found) === size ? found : undefined;
    };
    const root = workspaceRootFor(files, locate);
    if (root !== undefined) {
      const single = files.length === 1 && !files[0].relative.includes('/');
      const local = single ? path.join(root, files[0].relative) : root;
      inputs.push({ ...input, source: { kind: 'local', path: local } });
      code.push({ input: input.name, from: 'workspace', path: local });
      notes.unshift(t('The code of input "{0}" is taken from this workspace ({1}): the same files, of the same sizes, as in {2}.', input.name, local, uri));
      continue;
    }
    const dir = o.codeDir(input.name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const f of files) {
      const target = path.join(dir, ...f.relative.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await o.s3.downloadToFile(parsed.bucket, f.key, target, { signal: o.signal });
    }
    code.push({ input: input.name, from: 'downloaded', path: dir });
    notes.unshift(t('The code of input "{0}" is not in this workspace (no file of the same size at the same place): it was downloaded from {1} to {2}.', input.name, uri, dir));
    if (input.name === ENTRYPOINT_INPUT && files.length <= 20) {
      // runproc.sh and its helpers as generated files: Debug Locally rewrites runproc.sh's last line to start debugpy.
      const texts = Object.fromEntries(files.map((f) => [f.relative, fs.readFileSync(path.join(dir, ...f.relative.split('/')), 'utf8')]));
      inputs.push({ ...input, source: { kind: 'content', files: texts } });
    } else {
      inputs.push({ ...input, source: { kind: 'local', path: dir } });
    }
  }
  return {
    spec: { ...plan.spec, inputs },
    notes,
    allowNetwork: plan.allowNetwork,
    ...(plan.roleArn ? { roleArn: plan.roleArn } : {}),
    code,
    localOnlyOutputs: plan.spec.outputs.map((x) => x.name),
  };
}
