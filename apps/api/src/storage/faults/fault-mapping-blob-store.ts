import type { Readable } from 'node:stream';
import { BlobStore } from '../blob-store.port';
import { mapStorageErrors } from './storage-faults';

/**
 * The blob store as the rest of the API sees it: S3 unreachable or throttling, or a local disk that failed or
 * filled up, arrive as STORAGE_UNAVAILABLE / INSUFFICIENT_STORAGE. BlobNotFoundError passes through unchanged.
 */
export class FaultMappingBlobStore extends BlobStore {
  readonly kind: BlobStore['kind'];

  constructor(private readonly inner: BlobStore) {
    super();
    this.kind = inner.kind;
  }

  init(): Promise<void> {
    return this.guard(() => this.inner.init());
  }

  putFile(key: string, path: string): Promise<void> {
    return this.guard(() => this.inner.putFile(key, path));
  }

  putBytes(key: string, bytes: Buffer | string): Promise<void> {
    return this.guard(() => this.inner.putBytes(key, bytes));
  }

  getToFile(key: string, path: string): Promise<void> {
    return this.guard(() => this.inner.getToFile(key, path));
  }

  getBytes(key: string): Promise<Buffer> {
    return this.guard(() => this.inner.getBytes(key));
  }

  openRead(key: string): Promise<Readable> {
    return this.guard(() => this.inner.openRead(key));
  }

  exists(key: string): Promise<boolean> {
    return this.guard(() => this.inner.exists(key));
  }

  delete(key: string): Promise<void> {
    return this.guard(() => this.inner.delete(key));
  }

  deletePrefix(prefix: string): Promise<void> {
    return this.guard(() => this.inner.deletePrefix(prefix));
  }

  list(prefix: string): Promise<string[]> {
    return this.guard(() => this.inner.list(prefix));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private guard<T>(call: () => Promise<T>): Promise<T> {
    return mapStorageErrors('blob store', call);
  }
}
