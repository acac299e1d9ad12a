import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AudioModule, FFMPEG } from '../audio/audio.module';
import type { FfmpegBinary } from '../audio/ffmpeg-locator';
import type { AppConfig } from '../config/app-config';
import { createEngine } from './create-engine';
import { ModelRegistry } from './model-registry';
import { modelRegistryFor } from './served-models';
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
      imports: [AudioModule],
      providers: [
        {
          provide: TranscriptionEngine,
          inject: [FFMPEG],
          useFactory: async (ffmpeg: FfmpegBinary) => {
            const engine = createEngine(config, ffmpeg.path);
            await engine.start();
            return engine;
          },
        },
        {
          provide: ModelRegistry,
          inject: [TranscriptionEngine],
          useFactory: (engine: TranscriptionEngine) => modelRegistryFor(config.engine, engine.describe().model),
        },
        EngineLifecycle,
      ],
      exports: [TranscriptionEngine, ModelRegistry],
    };
  }
}
