import type { AppConfig } from '../config/app-config';
import { HttpEngine } from './http/http.engine';
import { defaultWhisperThreads } from './local/cpu-threads';
import { LocalWhisperEngine } from './local/local-whisper.engine';
import { SageMakerEngine } from './sagemaker/sagemaker.engine';
import type { TranscriptionEngine } from './transcription-engine.port';
import type { ModelDownloadManager } from './model-downloads/model-download-manager';

/** The adapter for the validated config; each adapter gets only its own section. `downloads`: shared with the routes. */
export function createEngine(config: AppConfig, ffmpegPath: string, downloads?: ModelDownloadManager): TranscriptionEngine {
  const section = config.engine;
  switch (section.kind) {
    case 'local':
      return new LocalWhisperEngine({
        ...section.local,
        threads: section.local.threads ?? defaultWhisperThreads(),
        concurrency: config.dispatch.concurrency,
        temperatureIncrement: config.quality.temperatureIncrement,
      }, downloads ? { downloads } : {});
    case 'http':
      return new HttpEngine({ url: section.http.url, models: section.http.models, concurrency: config.dispatch.concurrency }, ffmpegPath);
    case 'sagemaker':
      return new SageMakerEngine(section.sagemaker, { concurrency: config.dispatch.concurrency, ffmpegPath, models: section.models });
  }
}
