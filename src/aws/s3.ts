import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import {
  S3Client,
  HeadBucketCommand,
  CreateBucketCommand,
  HeadObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  DeleteObjectsCommand,
  paginateListObjectsV2,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { AwsTarget } from '../core/settings';
import { clientConfig } from './clientConfig';
import { isNotFound } from './errors';

export interface S3ObjectInfo {
  key: string;
  size: number;
  etag?: string;
}

export type Progress = (transferredBytes: number, totalBytes?: number) => void;

export interface UploadOptions {
  onProgress?: Progress;
  signal?: AbortSignal;
  contentType?: string;
  /** Server-side encryption for the object (SSE-KMS, optionally with a key). */
  sse?: { ServerSideEncryption: 'aws:kms'; SSEKMSKeyId?: string };
  /** The account that must own the bucket (S3 refuses the write otherwise). */
  expectedBucketOwner?: string;
}

/** Thin typed wrapper over the S3 calls the extension needs. */
export class S3Api {
  readonly client: S3Client;
  constructor(target: AwsTarget) {
    this.client = new S3Client(clientConfig(target, 's3'));
  }

  /**
   * Creates the bucket if it does not exist (like the SageMaker Python SDK's default bucket). Returns true if created.
   * Like the SDK: with a key prefix the probe is ListObjectsV2 on it, else HeadBucket; `expectedOwner` (the caller's
   * account, for the SDK-generated default bucket name) makes S3 refuse a bucket of that name owned by someone else.
   */
  async ensureBucket(bucket: string, region: string, opts: { expectedOwner?: string; prefix?: string } = {}): Promise<boolean> {
    const owner = opts.expectedOwner ? { ExpectedBucketOwner: opts.expectedOwner } : {};
    try {
      if (opts.prefix) await this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: opts.prefix, ...owner }));
      else await this.client.send(new HeadBucketCommand({ Bucket: bucket, ...owner }));
      return false;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    await this.client.send(new CreateBucketCommand({
      Bucket: bucket,
      ...(region && region !== 'us-east-1' ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } } : {}),
    }));
    return true;
  }

  /** Uploads a file or buffer; multipart for large bodies; cancellable with the signal. */
  async upload(bucket: string, key: string, body: Buffer | string | { file: string } | { stream: Readable }, opts: UploadOptions = {}): Promise<{ etag?: string }> {
    // A stream (sourcedir.tar.gz packed on the fly) goes up in parts as it is produced; its length is not known ahead.
    const isFile = typeof body === 'object' && 'file' in body;
    const isStream = typeof body === 'object' && 'stream' in body;
    const Body = isFile ? fs.createReadStream(body.file) : isStream ? body.stream : body;
    const total = isFile ? (await fs.promises.stat(body.file)).size : isStream ? undefined : Buffer.byteLength(body as Buffer | string);
    const up = new Upload({
      client: this.client,
      params: { Bucket: bucket, Key: key, Body, ContentType: opts.contentType, ...opts.sse, ...(opts.expectedBucketOwner ? { ExpectedBucketOwner: opts.expectedBucketOwner } : {}) },
      queueSize: 4,
      partSize: 8 * 1024 * 1024,
      leavePartsOnError: false,
    });
    up.on('httpUploadProgress', (p) => opts.onProgress?.(p.loaded ?? 0, p.total ?? total));
    const onAbort = () => void up.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const out = await up.done();
      if (total !== undefined) opts.onProgress?.(total, total);
      return { etag: (out as { ETag?: string }).ETag };
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  async headObject(bucket: string, key: string): Promise<S3ObjectInfo | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { key, size: out.ContentLength ?? 0, etag: out.ETag };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * An object's text (UTF-8), for showing it (Compare's code diff): undefined when it is missing, larger than
   * `maxBytes` or not text (holds a NUL byte).
   */
  async getObjectText(bucket: string, key: string, maxBytes = 1_000_000): Promise<string | undefined> {
    let out;
    try {
      out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const body = out.Body as Readable;
    if ((out.ContentLength ?? 0) > maxBytes) {
      body.destroy();
      return undefined;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of body) {
      size += (c as Buffer).length;
      if (size > maxBytes) {
        body.destroy();
        return undefined;
      }
      chunks.push(c as Buffer);
    }
    const buf = Buffer.concat(chunks);
    return buf.includes(0) ? undefined : buf.toString('utf8');
  }

  /** Deletes objects (DeleteObjects, 1,000 keys a call); resolves with the keys S3 could not delete. */
  async deleteObjects(bucket: string, keys: string[]): Promise<string[]> {
    const failed: string[] = [];
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const out = await this.client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
      for (const e of out.Errors ?? []) if (e.Key) failed.push(e.Key);
    }
    return failed;
  }

  /** All objects under a prefix (every page). */
  async listObjects(bucket: string, prefix: string, signal?: AbortSignal): Promise<S3ObjectInfo[]> {
    const all: S3ObjectInfo[] = [];
    for await (const out of paginateListObjectsV2({ client: this.client, stopOnSameToken: true }, { Bucket: bucket, Prefix: prefix }, { abortSignal: signal })) {
      for (const o of out.Contents ?? []) all.push({ key: o.Key ?? '', size: o.Size ?? 0, etag: o.ETag });
    }
    return all;
  }

  /** Downloads one object to a file (written to a temp name first, so a cancelled download leaves nothing half-written). */
  async downloadToFile(bucket: string, key: string, file: string, opts: { onProgress?: Progress; signal?: AbortSignal } = {}): Promise<void> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: opts.signal });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.part-${process.pid}`;
    const body = out.Body as Readable;
    let done = 0;
    body.on('data', (c: Buffer) => opts.onProgress?.((done += c.length), out.ContentLength));
    try {
      await pipeline(body, fs.createWriteStream(tmp), { signal: opts.signal });
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  /**
   * One page of a listing: with a delimiter, the "folders" (common prefixes) and objects of one level only, so a
   * browser never lists a whole tree; `token` continues where the previous page ended.
   */
  async listPage(bucket: string, prefix: string, o: { delimiter?: string; token?: string; max?: number; signal?: AbortSignal } = {}): Promise<S3ListPage> {
    const out = await this.client.send(new ListObjectsV2Command({
      Bucket: bucket, Prefix: prefix || undefined, Delimiter: o.delimiter, ContinuationToken: o.token, MaxKeys: o.max,
    }), { abortSignal: o.signal });
    return {
      prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').filter(Boolean),
      objects: (out.Contents ?? []).map((c) => ({ key: c.Key ?? '', size: c.Size ?? 0, etag: c.ETag, lastModified: c.LastModified?.getTime() })),
      next: out.IsTruncated ? out.NextContinuationToken : undefined,
    };
  }

  /** Size and modification time of one object (undefined when there is none). */
  async stat(bucket: string, key: string, signal?: AbortSignal): Promise<{ size: number; lastModified?: number } | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      return { size: out.ContentLength ?? 0, lastModified: out.LastModified?.getTime() };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The bytes `start`…`end` (inclusive) of an object, or the whole object without a range. */
  async read(bucket: string, key: string, range?: { start: number; end: number }, signal?: AbortSignal): Promise<Uint8Array> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }), { abortSignal: signal });
    return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
  }

  destroy(): void {
    this.client.destroy();
  }
}

export interface S3ListPage {
  prefixes: string[];
  objects: (S3ObjectInfo & { lastModified?: number })[];
  /** The token of the next page, when there is one. */
  next?: string;
}

export { parseS3Uri } from '../core/s3uri';
