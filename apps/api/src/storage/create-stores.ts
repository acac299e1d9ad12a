import type { JobStoreSection, StorageConfig } from '../config/app-config';
import type { ApiKeyStore } from './api-key-store.port';
import type { BlobStore } from './blob-store.port';
import { DynamoDbApiKeyStore } from './dynamodb/dynamodb-api-key-store';
import { DynamoDbJobStore } from './dynamodb/dynamodb-job-store';
import type { JobStore } from './job-store.port';
import { LocalBlobStore } from './local/local-blob-store';
import { S3BlobStore } from './s3/s3-blob-store';
import { SqliteApiKeyStore } from './sqlite/sqlite-api-key-store';
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

/** API keys live where the jobs live: the same SQLite file, or items of the same DynamoDB table. */
export function createApiKeyStore(section: JobStoreSection): ApiKeyStore {
  switch (section.kind) {
    case 'sqlite':
      return new SqliteApiKeyStore(section.sqlite.path);
    case 'dynamodb':
      return new DynamoDbApiKeyStore(section.dynamodb);
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
