// Browsing S3 as a read-only file system (the `s3:` scheme): one level at a time with a delimiter, page by page, up
// to a limit; small objects read whole, large ones by their first range with a note. Pure: the page fetcher is given.

export interface ListPageLike {
  prefixes: string[];
  objects: { key: string; size: number; lastModified?: number }[];
  next?: string;
}

export interface LevelEntry {
  name: string;
  kind: 'dir' | 'file';
  size?: number;
  lastModified?: number;
}

export interface Level {
  entries: LevelEntry[];
  /** More entries exist than were listed (the limit was reached). */
  truncated: boolean;
  /** How many pages were asked for. */
  pages: number;
}

/** Entries listed per folder at most: a folder with more shows the first ones (VS Code lists a folder whole). */
export const LIST_LIMIT = 5000;
/** Objects up to this size are read whole; larger ones by their first RANGE_BYTES. */
export const READ_WHOLE_MAX = 8 * 1024 * 1024;
export const RANGE_BYTES = 1024 * 1024;

/** The folder prefix of a path in the bucket: '' for the root, else 'a/b/'. */
export function folderPrefix(path: string): string {
  const p = path.replace(/^\/+/, '');
  return !p ? '' : p.endsWith('/') ? p : `${p}/`;
}

/**
 * One folder level: asks for pages (`fetch(token)`, with delimiter '/') until there is no next page or `limit` entries
 * are listed. The folder's own placeholder object (`prefix` itself, as the console creates) is left out.
 */
export async function listLevel(prefix: string, fetch: (token?: string) => Promise<ListPageLike>, limit = LIST_LIMIT): Promise<Level> {
  const entries: LevelEntry[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await fetch(token);
    pages++;
    for (const p of page.prefixes) {
      const name = p.slice(prefix.length).replace(/\/$/, '');
      if (name) entries.push({ name, kind: 'dir' });
    }
    for (const o of page.objects) {
      const name = o.key.slice(prefix.length);
      if (name && !name.includes('/')) entries.push({ name, kind: 'file', size: o.size, lastModified: o.lastModified });
    }
    token = page.next;
  } while (token && entries.length < limit);
  return { entries: entries.slice(0, limit), truncated: !!token || entries.length > limit, pages };
}

/** How to read an object of `size` bytes: whole, or its first range with a note for the reader. */
export function readPlan(size: number): { whole: true } | { whole: false; start: number; end: number } {
  return size <= READ_WHOLE_MAX ? { whole: true } : { whole: false, start: 0, end: RANGE_BYTES - 1 };
}

/** Formats like Parquet that a text editor cannot show: opened as a short message instead. */
export function isBinaryFormat(key: string): boolean {
  return /\.(parquet|orc|avro|tar|gz|zip|pkl|joblib|npy|npz|bin|pt|h5)$/i.test(key);
}
