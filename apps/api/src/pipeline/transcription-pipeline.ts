import { Injectable } from '@nestjs/common';
import type { AudioWarning, TranscriptionResult } from '@speech/contracts';
import type { DecodedAudio } from '../audio/audio-normalizer';
import { DomainError, isDomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { type EngineDiarization, TranscriptionEngine } from '../engines/transcription-engine.port';
import { MetricsService } from '../metrics/metrics.service';
import { type DiarizationPlan, DiarizeStage } from './diarize.stage';
import { DispatchStage } from './dispatch.stage';
import { PrepareStage, type UploadedAudio } from './prepare.stage';
import { judgeResult } from './segment-quality';
import { fitToSpeech, speechEdgesOf } from './speech-edges';
import { tidyResult, withWarnings } from './tidy-result';
import type { TranscribeOptions } from './transcribe-options';
import { regionsInSeconds, VadStage } from './vad.stage';

export interface TranscribeCall {
  /** The upload and the format its content was sniffed as: a file, or a decode that ran while it arrived. */
  readonly input: UploadedAudio;
  /** Where the decoded audio is written; the caller owns (and deletes) it. */
  readonly decodedPath: string;
  readonly options: TranscribeOptions;
  /** Aborted when the client goes away (or the shutdown grace period ends). */
  readonly signal: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
  /** Text as the engine produces it, with the decode's warnings (see DecodedCall.onText). */
  readonly onText?: (text: string, warnings: readonly AudioWarning[]) => void;
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
  /**
   * Untidied text as the engine produces it, piece by piece: with VAD, each speech chunk's as it is transcribed;
   * without, nothing (the engine answers once). The result's text is what counts; this only lets a stream show text
   * while the rest is transcribed. The decode's warnings come with it (a stream's headers go out with its first text).
   */
  readonly onText?: (text: string, warnings: readonly AudioWarning[]) => void;
}

/**
 * The one audio path: prepare (decode once to 16 kHz mono) → VAD (speech only) → dispatch (bounded, under a
 * deadline) → engine → speech edges (times out of pauses) → tidy (→ diarize, when asked) → segment quality.
 * Sync requests run all of it through transcribe(); jobs run the same stages per window (jobs/job-runner.ts);
 * a stream will call transcribeDecoded() on audio it decoded itself.
 */
@Injectable()
export class TranscriptionPipeline {
  constructor(
    private readonly prepare: PrepareStage,
    private readonly dispatch: DispatchStage,
    private readonly diarize: DiarizeStage,
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
  async transcribeDecoded({ audio, options, signal, onProgress, onText }: DecodedCall): Promise<TranscriptionResult> {
    // Diarization (when asked for) needs word timings from the engine, or asks the engine to diarize itself.
    const planned = await this.diarize.plan(options, signal);
    const vad = this.vad.settingsFor(options.vad);
    // With VAD the engine sees one speech chunk at a time and would label each chunk on its own: speakers are then
    // found here, over the whole audio, with the VAD's regions.
    const { forEngine: _chunkwise, ...overWholeAudio } = planned;
    const speakers: DiarizationPlan = vad ? overWholeAudio : planned;
    const textOut = onText && ((text: string) => onText(text, audio.warnings));
    const { raw, speechRegions } = await this.transcribeSpeech({ audio, options: speakers.engineOptions, signal, onProgress }, speakers.forEngine, textOut);
    const fitted = vad && speechRegions ? fitToSpeech(raw, speechRegions, speechEdgesOf(vad)) : raw;
    const tidied = withWarnings(tidyResult(fitted, audio.durationSeconds, speakers.engineOptions.wordTimestamps), audio.warnings);
    // The stage finds speech for its embedding windows itself (tuned on the pyannote sample and the bench's
    // conversations); Silero's padded regions split the sample's two speakers into four, so they are not passed yet.
    const diarized = await this.diarize.run(speakers, { audio, result: tidied, signal });
    // Judged last, so segments split at speaker changes are judged too.
    return judgeResult(diarized, options, this.config.quality, speechRegions);
  }

  /** The engine's untidied result for decoded audio, and the speech regions VAD found (seconds) when it ran. */
  async transcribeSpeech(
    { audio, options, signal, onProgress }: DecodedCall,
    diarization?: EngineDiarization,
    onText?: (text: string) => void,
  ): Promise<{ raw: TranscriptionResult; speechRegions?: SpeechSeconds[] }> {
    const vad = this.vad.settingsFor(options.vad);
    if (!vad) return { raw: await this.dispatch.run({ audio, options, signal, onProgress, ...(diarization ? { diarization } : {}) }) };
    const regions = await this.vad.regionsOf(audio, vad, signal);
    const raw = await this.vad.transcribeSpeech({ audio, regions, settings: vad, options, signal, onProgress, onText });
    return { raw, speechRegions: regionsInSeconds(regions, audio.sampleRate) };
  }

  private async run({ input, decodedPath, options, signal, onProgress, onText }: TranscribeCall): Promise<TranscriptionResult> {
    this.dispatch.modelFor(options); // an unknown `model` is refused before the audio is decoded
    const audio = await this.prepare
      .runUpload(input, { outputPath: decodedPath, maxSeconds: this.config.audio.maxAudioSeconds, signal })
      .catch((error: unknown) => {
        throw isDomainError(error) && error.code === 'AUDIO_TOO_LONG' ? this.pointToJobs(error) : error;
      });
    return this.transcribeDecoded({ audio, options, signal, onProgress, onText });
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
