// The "last pushed" records (.sagemaker-local/builds.json): which content hash was pushed as which digest. A record is
// written only after a push completed and its digest was read, so nothing half-written becomes "the last pushed image".
import { t } from '../l10n';
import { digestRef, isDigest } from './spec';

export const BUILDS_FILE = '.sagemaker-local/builds.json';

export interface BuildRecord {
  registry: string;
  repository: string;
  tag: string;
  digest: string;
  /** Content hash (see buildContentHash) of what was pushed. */
  contentHash: string;
  /** `<registry>/<repo>@sha256:…`. */
  imageUri: string;
  pushedAt: string;
}

export interface BuildsFile {
  version: 1;
  records: Record<string, BuildRecord>;
}

/** Records are keyed by where the image went. */
export function recordKey(registry: string, repository: string, tag: string): string {
  return `${registry}/${repository}:${tag}`;
}

export function parseBuildsFile(text: string | undefined): BuildsFile {
  if (!text) return { version: 1, records: {} };
  try {
    const v = JSON.parse(text) as Partial<BuildsFile>;
    const records: Record<string, BuildRecord> = {};
    for (const [k, r] of Object.entries(v?.records ?? {})) {
      if (r && typeof r === 'object' && isDigest(r.digest) && typeof r.contentHash === 'string' && r.registry && r.repository) records[k] = r;
    }
    return { version: 1, records };
  } catch {
    return { version: 1, records: {} };
  }
}

export function makeRecord(registry: string, repository: string, tag: string, digest: string, contentHash: string, now = new Date()): BuildRecord {
  if (!isDigest(digest)) throw new Error(t('not an image digest: {0}', digest));
  return { registry, repository, tag, digest, contentHash, imageUri: digestRef(registry, repository, digest), pushedAt: now.toISOString() };
}

export function withRecord(file: BuildsFile, r: BuildRecord): BuildsFile {
  return { version: 1, records: { ...file.records, [recordKey(r.registry, r.repository, r.tag)]: r } };
}

export function serializeBuildsFile(file: BuildsFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}

/** The last pushed record for this destination if its content hash is the current one; else undefined (rebuild). */
export function upToDate(file: BuildsFile, registry: string, repository: string, tag: string, contentHash: string): BuildRecord | undefined {
  const r = file.records[recordKey(registry, repository, tag)];
  return r && r.contentHash === contentHash ? r : undefined;
}
