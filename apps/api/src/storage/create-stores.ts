import type { StorageConfig } from '../config/app-config';
import type { BlobStore } from './blob-store.port';
import { DynamoDbJobStore } from './dynamodb/dynamodb-job-store';
import type { JobStore } from './job-store.port';
import { LocalBlobStore } from './local/local-blob-store';
import { S3BlobStore } from './s3/s3-blob-store';
import { SqliteJobStore } from './sqlite/sqlite-job-store';

/** The job store the validated config names; each adapter gets only its own section. */
export function createJobStore(config: StorageConfig): JobStore {
  const section = config.jobStore;
  switch (section.kind) {
    case 'sqlite':
      return new SqliteJobStore(section.sqlite.path);
    case 'dynamodb':
      return new DynamoDbJobStore(section.dynamodb);
  }
}

export function createBlobStore(config: StorageConfig): BlobStore {
  const section = config.blobStore;
  switch (section.kind) {
    case 'local':
      return new LocalBlobStore(section.local.dir);
    case 's3':
      // A local endpoint (s3rver, MinIO) is a sandbox the API may set up itself; on AWS the bucket is the infra's.
      return new S3BlobStore({ ...section.s3, createBucket: section.s3.endpoint !== undefined });
  }
}
