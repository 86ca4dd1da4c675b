import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

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

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** A minimal ustar writer (regular files only), gzipped: what `tar -czf` of a source folder gives. */
export function tarGz(entries: { name: string; data: Buffer; mode?: number }[], mtime = new Date(0)): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    let name = e.name;
    let prefix = '';
    if (Buffer.byteLength(name) > 100) {
      const cut = name.lastIndexOf('/', 155);
      if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`path too long for tar: ${name}`);
      prefix = name.slice(0, cut);
      name = name.slice(cut + 1);
    }
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write(octal(e.mode ?? 0o644, 8), 100, 8, 'ascii');
    h.write(octal(0, 8), 108, 8, 'ascii');
    h.write(octal(0, 8), 116, 8, 'ascii');
    h.write(octal(e.data.length, 12), 124, 12, 'ascii');
    h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 12, 'ascii');
    h.fill(' ', 148, 156);
    h.write('0', 156, 1, 'ascii');
    h.write('ustar\0', 257, 6, 'ascii');
    h.write('00', 263, 2, 'ascii');
    h.write(prefix, 345, 155, 'utf8');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
    blocks.push(h, e.data, Buffer.alloc((512 - (e.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** Packs a folder as sourcedir.tar.gz (paths relative to the folder, like the SDK's tar of source_dir). */
export function packSourceDir(dir: string, fsp: FileSystemPort = nodeFileSystem): Buffer {
  const skip = (f: string) => /(^|\/)(__pycache__|\.git)(\/|$)|\.pyc$/.test(f);
  return tarGz(fsp.listFiles(dir).filter((f) => !skip(f)).map((f) => ({ name: f, data: fsp.readFile(path.join(dir, f)) })));
}
