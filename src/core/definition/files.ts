import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { t } from '../l10n';

/** The file-system reads definitions need (a port: tests and other hosts may supply their own). */
export interface FileSystemPort {
  exists(p: string): boolean;
  isDirectory(p: string): boolean;
  /** Files under a folder, as paths relative to it (posix separators), sorted. */
  listFiles(dir: string): string[];
  readFile(p: string): Buffer;
  size(p: string): number;
}

export const nodeFileSystem: FileSystemPort = {
  exists: (p) => fs.existsSync(p),
  isDirectory: (p) => {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
  listFiles(dir) {
    const out: string[] = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(r);
        else if (e.isFile()) out.push(r);
      }
    };
    walk('');
    return out.sort();
  },
  readFile: (p) => fs.readFileSync(p),
  size: (p) => fs.statSync(p).size,
};

/** Always left out of folder uploads. */
export const ALWAYS_EXCLUDED = ['.git'];
/** Also left out of sourceDir (as the SDK's FrameworkProcessor does not need them). */
export const SOURCE_DIR_EXCLUDED = ['__pycache__', '*.pyc'];

/**
 * A matcher for `exclude` globs, relative to the uploaded folder: `*` and `?` within a name, `**` across folders.
 * A pattern without "/" matches a file or folder name at any depth (like .gitignore); a folder matched is left out whole.
 */
export function excludeMatcher(patterns: readonly string[]): (rel: string) => boolean {
  const toRe = (g: string) => {
    let re = '';
    for (let i = 0; i < g.length; i++) {
      const ch = g[i];
      if (ch === '*' && g[i + 1] === '*') {
        i++;
        if (g[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
      } else if (ch === '*') re += '[^/]*';
      else if (ch === '?') re += '[^/]';
      else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
  };
  const byName = patterns.filter((p) => !p.replace(/\/+$/, '').includes('/')).map((p) => toRe(p.replace(/\/+$/, '')));
  const byPath = patterns.filter((p) => p.replace(/\/+$/, '').includes('/')).map((p) => toRe(p.replace(/^\/+|\/+$/g, '')));
  return (rel) => {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    return byName.some((r) => r.test(name)) || byPath.some((r) => r.test(rel));
  };
}

/**
 * Regular files under a folder (posix relative paths, sorted), walked without blocking: symbolic links, devices,
 * FIFOs and sockets inside it are left out, and so is whatever `excluded` matches (checked on folders and files).
 */
export async function listFilesAsync(dir: string, excluded: (rel: string) => boolean = excludeMatcher(ALWAYS_EXCLUDED)): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await fs.promises.readdir(rel ? path.join(dir, rel) : dir, { withFileTypes: true });
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (excluded(r)) continue;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  await walk('');
  return out.sort();
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** A minimal ustar writer (regular files only), gzipped: what `tar -czf` of a source folder gives. */
export function tarGz(entries: { name: string; data: Buffer; mode?: number }[], mtime = new Date(0)): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) blocks.push(tarHeader(e.name, e.data.length, e.mode, mtime), e.data, Buffer.alloc((512 - (e.data.length % 512)) % 512));
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** One ustar header block (a regular file). */
function tarHeader(fullName: string, size: number, mode = 0o644, mtime = new Date(0)): Buffer {
  {
    let name = fullName;
    let prefix = '';
    if (Buffer.byteLength(name) > 100) {
      const cut = name.lastIndexOf('/', 155);
      if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(t('path too long for tar: {0}', name));
      prefix = name.slice(0, cut);
      name = name.slice(cut + 1);
    }
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write(octal(mode, 8), 100, 8, 'ascii');
    h.write(octal(0, 8), 108, 8, 'ascii');
    h.write(octal(0, 8), 116, 8, 'ascii');
    h.write(octal(size, 12), 124, 12, 'ascii');
    h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 12, 'ascii');
    h.fill(' ', 148, 156);
    h.write('0', 156, 1, 'ascii');
    h.write('ustar\0', 257, 6, 'ascii');
    h.write('00', 263, 2, 'ascii');
    h.write(prefix, 345, 155, 'utf8');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
    return h;
  }
}

/** The files of a sourceDir that go into sourcedir.tar.gz (.git, __pycache__, *.pyc and the job's `exclude` left out). */
export function sourceDirFiles(dir: string, exclude: readonly string[] = []): Promise<string[]> {
  return listFilesAsync(dir, excludeMatcher([...ALWAYS_EXCLUDED, ...SOURCE_DIR_EXCLUDED, ...exclude]));
}

/**
 * Packs files of a folder as sourcedir.tar.gz (paths relative to the folder, like the SDK's tar of source_dir), as a
 * stream: one file is read at a time, and the archive is gzipped as it goes (nothing held whole in memory, no
 * synchronous work). A file that changes size while packed is cut or zero-padded to the size in its header.
 */
export function packSourceDirStream(dir: string, files: readonly string[]): Readable {
  async function* blocks(): AsyncGenerator<Buffer> {
    for (const f of files) {
      const abs = path.join(dir, f);
      const st = await fs.promises.lstat(abs);
      if (!st.isFile()) continue;
      yield tarHeader(f, st.size);
      let sent = 0;
      if (st.size > 0) {
        for await (const chunk of fs.createReadStream(abs, { start: 0, end: st.size - 1 })) {
          sent += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
      }
      if (sent < st.size) yield Buffer.alloc(st.size - sent);
      const pad = (512 - (st.size % 512)) % 512;
      if (pad) yield Buffer.alloc(pad);
    }
    yield Buffer.alloc(1024);
  }
  const gz = createGzip();
  pipeline(Readable.from(blocks()), gz).catch((err: Error) => gz.destroy(err));
  return gz;
}

/** Packs a folder as sourcedir.tar.gz in memory (tests and small tools; uploads use packSourceDirStream). */
export async function packSourceDir(dir: string, exclude: readonly string[] = []): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of packSourceDirStream(dir, await sourceDirFiles(dir, exclude))) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
