import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { ApiKeyStore } from './api-key-store.port';
import { BlobStore } from './blob-store.port';
import { createApiKeyStore, createBlobStore, createJobStore } from './create-stores';
import { FaultMappingBlobStore } from './faults/fault-mapping-blob-store';
import { FaultMappingJobStore } from './faults/fault-mapping-job-store';
import { JobStore } from './job-store.port';

@Injectable()
class StorageLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(JobStore) private readonly jobs: JobStore,
    @Inject(BlobStore) private readonly blobs: BlobStore,
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.jobs.close(), this.blobs.close(), this.keys.close()]);
  }
}

/** Binds the JobStore, ApiKeyStore (same backend as jobs) and BlobStore ports to the adapters the validated config names, when the app is built. */
@Global()
@Module({})
export class StorageModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: StorageModule,
      providers: [
        {
          provide: JobStore,
          useFactory: async () => {
            // Callers see the store's outages as STORAGE_UNAVAILABLE / INSUFFICIENT_STORAGE (storage/faults).
            const store = new FaultMappingJobStore(createJobStore(config.storage));
            await store.init();
            return store;
          },
        },
        {
          provide: BlobStore,
          useFactory: async () => {
            const store = new FaultMappingBlobStore(createBlobStore(config.storage));
            await store.init();
            return store;
          },
        },
        {
          provide: ApiKeyStore,
          // After the job store: on SQLite it opens the same file, which the job store's init has created.
          inject: [JobStore],
          useFactory: async () => {
            const store = createApiKeyStore(config.storage.jobStore);
            await store.init();
            return store;
          },
        },
        StorageLifecycle,
      ],
      exports: [JobStore, BlobStore, ApiKeyStore],
    };
  }
}
