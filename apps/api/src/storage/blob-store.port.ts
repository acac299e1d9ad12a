import type { Readable } from 'node:stream';

/**
 * Where job audio and results live, by key (`jobs/<id>/audio`, `jobs/<id>/result.json`, …). The abstract class
 * is its own DI token; adapters: local/ (a directory, default) and s3/ (AWS). Both pass
 * test/contracts/blob-store.contract.ts. Writes are all-or-nothing: a reader never sees half an object.
 */
export abstract class BlobStore {
  abstract readonly kind: 'local' | 's3';
  abstract init(): Promise<void>;
  /** Stores the file at `path` under `key` (streamed, never read into memory). */
  abstract putFile(key: string, path: string): Promise<void>;
  abstract putBytes(key: string, bytes: Buffer | string): Promise<void>;
  /** Copies the object to a local file (streamed). Throws BlobNotFoundError when absent. */
  abstract getToFile(key: string, path: string): Promise<void>;
  /** Throws BlobNotFoundError when absent. */
  abstract getBytes(key: string): Promise<Buffer>;
  abstract openRead(key: string): Promise<Readable>;
  abstract exists(key: string): Promise<boolean>;
  /** No error when absent. */
  abstract delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix`. */
  abstract deletePrefix(prefix: string): Promise<void>;
  /** Keys under `prefix`, sorted. */
  abstract list(prefix: string): Promise<string[]>;
  abstract close(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no blob under ${key}`);
    this.name = 'BlobNotFoundError';
  }
}

/** Keys are paths of safe segments: no `..`, no leading slash, nothing a directory adapter could escape with. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/?$/.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw new Error(`unsafe blob key: ${key}`);
  }
}
