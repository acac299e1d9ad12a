import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { assertSafeKey, BlobNotFoundError, BlobStore } from '../blob-store.port';

export interface S3BlobStoreOptions {
  readonly bucket: string;
  /** Prepended to every key, e.g. `jobs/`. */
  readonly prefix: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly forcePathStyle: boolean;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Create the bucket when missing (local stand-ins); on AWS the infrastructure owns it. */
  readonly createBucket?: boolean;
}

/** Blobs as S3 objects. A PutObject is atomic, so readers never see half an object. */
export class S3BlobStore extends BlobStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly options: S3BlobStoreOptions) {
    super();
    this.client = new S3Client({
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      // Streamed uploads would otherwise be sent aws-chunked with trailing checksums, which S3-compatible
      // servers (s3rver, MinIO versions) store verbatim; the SDK's MD5/length checks still apply.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // A silent endpoint must fail (→ STORAGE_UNAVAILABLE) rather than hang; the idle limit allows slow large transfers.
      requestHandler: { connectionTimeout: 2000, requestTimeout: 30_000 },
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  }

  async init(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
    } catch (error) {
      if (!this.options.createBucket || !isNotFound(error)) throw error;
      try {
        await this.client.send(new CreateBucketCommand({ Bucket: this.options.bucket }));
      } catch (createError) {
        // Another process sharing the bucket created it first.
        const name = (createError as { name?: string }).name;
        if (name !== 'BucketAlreadyExists' && name !== 'BucketAlreadyOwnedByYou') throw createError;
      }
    }
  }

  async putFile(key: string, path: string): Promise<void> {
    const { size } = await stat(path);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key), Body: createReadStream(path), ContentLength: size }),
    );
  }

  async putBytes(key: string, bytes: Buffer | string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key), Body: bytes }));
  }

  async getToFile(key: string, path: string): Promise<void> {
    await pipeline(await this.openRead(key), createWriteStream(path));
  }

  async getBytes(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.openRead(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async openRead(key: string): Promise<Readable> {
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }));
      if (!(Body instanceof Readable)) throw new Error('S3 returned no stream body');
      return Body;
    } catch (error) {
      throw isNotFound(error) ? new BlobNotFoundError(key) : error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }));
  }

  async deletePrefix(prefix: string): Promise<void> {
    const keys = await this.list(prefix);
    // DeleteObjects takes at most 1000 keys.
    for (let i = 0; i < keys.length; i += 1000) {
      await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.options.bucket,
          Delete: { Objects: keys.slice(i, i + 1000).map((key) => ({ Key: this.keyOf(key) })), Quiet: true },
        }),
      );
    }
  }

  async list(prefix: string): Promise<string[]> {
    if (prefix) assertSafeKey(prefix);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.options.prefix + prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key) keys.push(object.Key.slice(this.options.prefix.length));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private keyOf(key: string): string {
    assertSafeKey(key);
    return this.options.prefix + key;
  }
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket' || status === 404;
}
