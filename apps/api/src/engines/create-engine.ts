import type { AppConfig } from '../config/app-config';
import { HttpEngine } from './http/http.engine';
import { defaultWhisperThreads } from './local/cpu-threads';
import { LocalWhisperEngine } from './local/local-whisper.engine';
import { SageMakerEngine } from './sagemaker/sagemaker.engine';
import type { TranscriptionEngine } from './transcription-engine.port';

/** The adapter for the validated config; each adapter gets only its own section. */
export function createEngine(config: AppConfig, ffmpegPath: string): TranscriptionEngine {
  const section = config.engine;
  switch (section.kind) {
    case 'local':
      return new LocalWhisperEngine({
        ...section.local,
        threads: section.local.threads ?? defaultWhisperThreads(),
        concurrency: config.dispatch.concurrency,
        temperatureIncrement: config.quality.temperatureIncrement,
      });
    case 'http':
      return new HttpEngine({ url: section.http.url, concurrency: config.dispatch.concurrency }, ffmpegPath);
    case 'sagemaker':
      return new SageMakerEngine(section.sagemaker, { concurrency: config.dispatch.concurrency, ffmpegPath });
  }
}
