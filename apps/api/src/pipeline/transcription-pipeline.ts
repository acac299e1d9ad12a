import { Injectable } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';
import type { DecodedAudio } from '../audio/audio-normalizer';
import { DomainError, isDomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { TranscriptionEngine } from '../engines/transcription-engine.port';
import { MetricsService } from '../metrics/metrics.service';
import type { TimeSpan } from '../diarization/speech-span';
import { DiarizeStage } from './diarize.stage';
import { DispatchStage } from './dispatch.stage';
import { PrepareStage, type UploadedAudio } from './prepare.stage';
import { judgeResult } from './segment-quality';
import { tidyResult, withWarnings } from './tidy-result';
import type { TranscribeOptions } from './transcribe-options';

export interface TranscribeCall {
  /** The upload and the format its content was sniffed as: a file, or a decode that ran while it arrived. */
  readonly input: UploadedAudio;
  /** Where the decoded audio is written; the caller owns (and deletes) it. */
  readonly decodedPath: string;
  readonly options: TranscribeOptions;
  /** Aborted when the client goes away (or the shutdown grace period ends). */
  readonly signal: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
}

export interface DecodedCall {
  readonly audio: DecodedAudio;
  readonly options: TranscribeOptions;
  readonly signal: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
  /** Speech regions of `audio` (seconds) when a stage before found them: the diarization stage uses them. */
  readonly speechRegions?: readonly TimeSpan[];
}

/**
 * The one audio path: prepare (decode once to 16 kHz mono) → dispatch (bounded, under a deadline) → engine → tidy
 * (→ diarize, when asked).
 * Sync requests run all of it through transcribe(); jobs run the same stages per window (jobs/job-runner.ts);
 * a stream will call transcribeDecoded() on audio it decoded itself.
 */
@Injectable()
export class TranscriptionPipeline {
  constructor(
    private readonly prepare: PrepareStage,
    private readonly dispatch: DispatchStage,
    private readonly diarize: DiarizeStage,
    private readonly engine: TranscriptionEngine,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** A whole sync request, counted in the transcription metrics. */
  async transcribe(call: TranscribeCall): Promise<TranscriptionResult> {
    const engineName = this.engine.describe().engine;
    try {
      const result = await this.run(call);
      this.metrics.transcriptions.inc({ engine: engineName, outcome: 'ok' });
      this.metrics.audioSeconds.inc({ engine: engineName }, result.duration);
      return result;
    } catch (error) {
      this.metrics.transcriptions.inc({ engine: engineName, outcome: isDomainError(error) ? error.code : 'INTERNAL_ERROR' });
      throw error;
    }
  }

  /**
   * Dispatch → engine → tidy on audio already decoded. Voice activity detection (apps/api/src/vad) belongs at the
   * start of this method: it would turn `audio` into speech chunks, dispatch each, and map their times back before
   * the tidy step, so every engine skips the same silence.
   */
  async transcribeDecoded({ audio, options, signal, onProgress, speechRegions }: DecodedCall): Promise<TranscriptionResult> {
    // Diarization (when asked for) needs word timings from the engine, or asks the engine to diarize itself.
    const speakers = await this.diarize.plan(options, signal);
    const raw = await this.dispatch.run({ audio, options: speakers.engineOptions, diarization: speakers.forEngine, signal, onProgress });
    const tidied = withWarnings(tidyResult(raw, audio.durationSeconds, speakers.engineOptions.wordTimestamps), audio.warnings);
    const diarized = await this.diarize.run(speakers, { audio, result: tidied, speechRegions, signal });
    // Judged last, so segments split at speaker changes are judged too.
    return judgeResult(diarized, options, this.config.quality, speechRegions);
  }

  private async run({ input, decodedPath, options, signal, onProgress }: TranscribeCall): Promise<TranscriptionResult> {
    this.dispatch.modelFor(options); // an unknown `model` is refused before the audio is decoded
    const audio = await this.prepare
      .runUpload(input, { outputPath: decodedPath, maxSeconds: this.config.audio.maxAudioSeconds, signal })
      .catch((error: unknown) => {
        throw isDomainError(error) && error.code === 'AUDIO_TOO_LONG' ? this.pointToJobs(error) : error;
      });
    return this.transcribeDecoded({ audio, options, signal, onProgress });
  }

  /** Sync requests have a shorter limit than jobs: say where longer audio can go. */
  private pointToJobs(error: DomainError): DomainError {
    const jobLimit = this.config.jobs.maxAudioSeconds;
    return new DomainError(
      'AUDIO_TOO_LONG',
      `${error.message} Longer audio (up to ${jobLimit} seconds) is accepted as an async job: POST /api/v1/jobs, or POST /transcribe with async=true; then poll the status URL.`,
      { ...error.details, async_limit_seconds: jobLimit, jobs_url: '/api/v1/jobs' },
    );
  }
}
