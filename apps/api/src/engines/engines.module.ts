import { type DynamicModule, Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AudioModule, FFMPEG } from '../audio/audio.module';
import type { FfmpegBinary } from '../audio/ffmpeg-locator';
import type { AppConfig } from '../config/app-config';
import { DEFAULT_MODEL_DOWNLOAD_BASE_URL } from '../config/engine-config';
import { createEngine } from './create-engine';
import { ModelDownloadManager } from './model-downloads/model-download-manager';
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
        { provide: ModelDownloadManager, useFactory: () => downloadManagerFor(config) },
        {
          provide: TranscriptionEngine,
          inject: [FFMPEG, ModelDownloadManager],
          useFactory: async (ffmpeg: FfmpegBinary, downloads: ModelDownloadManager) => {
            const engine = createEngine(config, ffmpeg.path, downloads);
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
      exports: [TranscriptionEngine, ModelRegistry, ModelDownloadManager],
    };
  }
}

/** One download manager for the routes, the engine's automatic downloads and nothing else in this process. */
function downloadManagerFor(config: AppConfig): ModelDownloadManager {
  const local = config.engine.kind === 'local' ? config.engine.local : undefined;
  return new ModelDownloadManager({
    modelsDir: local?.modelsDir ?? '.cache/whisper-models',
    baseUrl: local?.downloadBaseUrl ?? DEFAULT_MODEL_DOWNLOAD_BASE_URL,
    concurrency: local?.downloadConcurrency ?? 1,
    ...(local ? { sha1Pins: local.downloadSha1 } : {}),
    logger: new Logger('ModelDownloads'),
  });
}
