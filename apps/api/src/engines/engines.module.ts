import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { createEngine } from './create-engine';
import { TranscriptionEngine } from './transcription-engine.port';

@Injectable()
class EngineLifecycle implements OnApplicationShutdown {
  constructor(@Inject(TranscriptionEngine) private readonly engine: TranscriptionEngine) {}

  async onApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}

/** Binds the TranscriptionEngine port to the adapter the validated config names — at build time, never at import. */
@Global()
@Module({})
export class EnginesModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: EnginesModule,
      providers: [
        {
          provide: TranscriptionEngine,
          useFactory: async () => {
            const engine = createEngine(config);
            await engine.start();
            return engine;
          },
        },
        EngineLifecycle,
      ],
      exports: [TranscriptionEngine],
    };
  }
}
