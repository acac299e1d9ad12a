import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { BlobStore } from './blob-store.port';
import { createBlobStore, createJobStore } from './create-stores';
import { JobStore } from './job-store.port';

@Injectable()
class StorageLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(JobStore) private readonly jobs: JobStore,
    @Inject(BlobStore) private readonly blobs: BlobStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.jobs.close(), this.blobs.close()]);
  }
}

/** Binds the JobStore and BlobStore ports to the adapters the validated config names, when the app is built. */
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
            const store = createJobStore(config.storage);
            await store.init();
            return store;
          },
        },
        {
          provide: BlobStore,
          useFactory: async () => {
            const store = createBlobStore(config.storage);
            await store.init();
            return store;
          },
        },
        StorageLifecycle,
      ],
      exports: [JobStore, BlobStore],
    };
  }
}
