import { Injectable } from '@nestjs/common';
import type { AudioFormat, TranscriptionResult } from '@speech/contracts';
import type { DecodedAudio } from '../audio/audio-normalizer';
import { DomainError, isDomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { TranscriptionEngine } from '../engines/transcription-engine.port';
import { MetricsService } from '../metrics/metrics.service';
import { DispatchStage } from './dispatch.stage';
import { PrepareStage } from './prepare.stage';
import { tidyResult, withWarnings } from './tidy-result';
import type { TranscribeOptions } from './transcribe-options';
import { VadStage } from './vad.stage';

export interface TranscribeCall {
  /** The uploaded file and the format its content was sniffed as (audio-format.ts). */
  readonly input: { readonly path: string; readonly format: AudioFormat };
  /** Where the decoded audio is written; the caller owns (and deletes) it. */
  readonly decodedPath: string;
  readonly options: TranscribeOptions;
  /** Aborted when the client goes away (or the shutdown grace period ends). */
  readonly signal: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
}

/** A speech region in seconds of the decoded audio. */
export interface SpeechSeconds {
  readonly start: number;
  readonly end: number;
}

export interface DecodedCall {
  readonly audio: DecodedAudio;
  readonly options: TranscribeOptions;
  readonly signal: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
}

/**
 * The one audio path: prepare (decode once to 16 kHz mono) → VAD (speech only) → dispatch (bounded, under a
 * deadline) → engine → tidy.
 * Sync requests run all of it through transcribe(); jobs run the same stages per window (jobs/job-runner.ts);
 * a stream will call transcribeDecoded() on audio it decoded itself.
 */
@Injectable()
export class TranscriptionPipeline {
  constructor(
    private readonly prepare: PrepareStage,
    private readonly dispatch: DispatchStage,
    private readonly vad: VadStage,
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
   * VAD → dispatch → engine → tidy on audio already decoded. With VAD (the default) only the speech is sent, in
   * ≤ 30 s chunks whose times are mapped back before tidy (pipeline/vad.stage.ts); `speechRegions` (seconds) is
   * what later stages (speaker turns, quality flags) may use; absent when VAD was off.
   */
  async transcribeDecoded({ audio, options, signal, onProgress }: DecodedCall): Promise<TranscriptionResult> {
    const { raw } = await this.transcribeSpeech({ audio, options, signal, onProgress });
    return withWarnings(tidyResult(raw, audio.durationSeconds, options.wordTimestamps), audio.warnings);
  }

  /** The engine's untidied result for decoded audio, and the speech regions VAD found (seconds) when it ran. */
  async transcribeSpeech({ audio, options, signal, onProgress }: DecodedCall): Promise<{ raw: TranscriptionResult; speechRegions?: SpeechSeconds[] }> {
    const vad = this.vad.settingsFor(options.vad);
    if (!vad) return { raw: await this.dispatch.run({ audio, options, signal, onProgress }) };
    const regions = await this.vad.regionsOf(audio, vad, signal);
    const raw = await this.vad.transcribeSpeech({ audio, regions, settings: vad, options, signal, onProgress });
    return { raw, speechRegions: regions.map((r) => ({ start: r.start / audio.sampleRate, end: r.end / audio.sampleRate })) };
  }

  private async run({ input, decodedPath, options, signal, onProgress }: TranscribeCall): Promise<TranscriptionResult> {
    const audio = await this.prepare
      .run({ inputPath: input.path, format: input.format, outputPath: decodedPath, maxSeconds: this.config.audio.maxAudioSeconds, signal })
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
