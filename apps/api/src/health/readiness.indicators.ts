import { statfs } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { FFMPEG } from '../audio/audio.module';
import type { FfmpegBinary } from '../audio/ffmpeg-locator';
import { AppConfig } from '../config/app-config';
import { TranscriptionEngine } from '../engines/transcription-engine.port';
import { BlobStore } from '../storage/blob-store.port';
import { JobStore } from '../storage/job-store.port';
import { SpeechDetection } from '../vad/speech-detection';

/** What /health checks besides "the process answers": the engine, the VAD model, ffmpeg, and room for uploads. */
@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly engine: TranscriptionEngine,
    private readonly config: AppConfig,
    @Inject(FFMPEG) private readonly ffmpeg: FfmpegBinary,
    private readonly jobs: JobStore,
    private readonly blobs: BlobStore,
    private readonly detection: SpeechDetection,
  ) {}

  /** The job store and the blob store answer a cheap read (jobs cannot be created or run otherwise). */
  async storageReady() {
    const check = this.indicators.check('storage');
    const data = { job_store: this.jobs.kind, blob_store: this.blobs.kind };
    try {
      await withTimeout(Promise.all([this.jobs.list({ limit: 1 }), this.blobs.list('health/')]), 3000);
      return check.up(data);
    } catch (error) {
      return check.down({ ...data, message: error instanceof Error ? error.message : String(error) });
    }
  }

  async engineReady() {
    const check = this.indicators.check('engine');
    const description = this.engine.describe();
    try {
      const health = await this.engine.health();
      const data = { engine: description.engine, model: description.model, ...health.detail };
      return health.ready ? check.up(data) : check.down(data);
    } catch (error) {
      return check.down({ engine: description.engine, message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Down when VAD is on but its model did not load (requests that want VAD would get MODEL_UNAVAILABLE). */
  vadReady() {
    const check = this.indicators.check('vad');
    const state = this.detection.state();
    return state.enabled && !state.ready ? check.down({ ...state }) : check.up({ ...state });
  }

  ffmpegPresent() {
    return this.indicators.check('ffmpeg').up({ path: this.ffmpeg.path, source: this.ffmpeg.source, version: this.ffmpeg.version });
  }

  /** Enough free space in TMP_DIR for two maximum uploads and their decoded audio. */
  async tempSpace() {
    const check = this.indicators.check('temp_space');
    const needed = this.config.upload.maxFileSize * 2 + this.config.audio.maxAudioSeconds * 16_000 * 4;
    try {
      const stats = await statfs(this.config.upload.tmpDir);
      const free = stats.bavail * stats.bsize;
      const data = { path: this.config.upload.tmpDir, free_bytes: free, needed_bytes: needed };
      return free >= needed ? check.up(data) : check.down(data);
    } catch (error) {
      return check.down({ path: this.config.upload.tmpDir, message: (error as Error).message });
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
