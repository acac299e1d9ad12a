import { Injectable, Logger } from '@nestjs/common';
import { ACCEPTED_AUDIO_FORMATS, type AudioFormat, type TranscriptionOptions, type TranscriptionResult } from '@speech/contracts';
import { AudioNormalizer, type DecodedAudio } from '../audio/audio-normalizer';
import { sniffAudioFile } from '../audio/format-sniffer';
import { AppConfig } from '../config/app-config';
import { DomainError, isDomainError } from '../common/domain-error';
import { type NormalizedAudio, TranscriptionEngine } from '../engines/transcription-engine.port';
import { MetricsService } from '../metrics/metrics.service';
import type { ReceivedUpload } from '../upload/audio-upload.interceptor';
import { EngineDispatcher } from './engine-dispatcher';
import { tidyResult, withWarnings } from './tidy-result';

export interface PrepareAudioCall {
  readonly inputPath: string;
  /** Where the normalized f32le audio is written; the caller owns (and deletes) it. */
  readonly outputPath: string;
  readonly maxSeconds: number;
  readonly signal?: AbortSignal;
  /** Job work: waits for a decode slot rather than being refused with DECODE_BUSY. */
  readonly background?: boolean;
}

export interface PreparedAudio {
  readonly format: AudioFormat;
  readonly audio: DecodedAudio;
}

export interface EngineCall {
  readonly audio: NormalizedAudio;
  readonly options: TranscriptionOptions;
  readonly signal: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
  /** Job work waits for an engine slot however long the queue is (the worker pool bounds it) instead of being refused. */
  readonly background?: boolean;
}

export interface TranscribeCall {
  readonly upload: ReceivedUpload;
  readonly options: TranscriptionOptions;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
}

/**
 * One path for audio: sniff → decode once to 16 kHz mono → bounded dispatch with a deadline → engine → tidy result.
 * Jobs reuse the pieces (prepareAudio, runEngine) per window; see jobs/job-runner.ts.
 */
@Injectable()
export class TranscriptionService {
  private readonly logger = new Logger('TranscriptionService');

  constructor(
    private readonly engine: TranscriptionEngine,
    private readonly normalizer: AudioNormalizer,
    private readonly dispatcher: EngineDispatcher,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

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

  private async run({ upload, options, signal, onProgress }: TranscribeCall): Promise<TranscriptionResult> {
    const { audio } = await this.prepareAudio({
      inputPath: upload.path,
      outputPath: upload.workspace.file('audio.f32'),
      maxSeconds: this.config.audio.maxAudioSeconds,
      signal,
    }).catch((error: unknown) => {
      throw isDomainError(error) && error.code === 'AUDIO_TOO_LONG' ? this.pointToJobs(error) : error;
    });
    const result = await this.runEngine({ audio, options, signal, onProgress });
    return withWarnings(tidyResult(result, audio.durationSeconds, options.wordTimestamps), audio.warnings);
  }

  /** Sniff by content, then the one decode to 16 kHz mono f32le. Shared by sync requests and jobs. */
  async prepareAudio(call: PrepareAudioCall): Promise<PreparedAudio> {
    const format = await sniffAudioFile(call.inputPath);
    if (!format) {
      throw new DomainError(
        'UNSUPPORTED_MEDIA',
        `The file is not in a supported audio format. Accepted: ${ACCEPTED_AUDIO_FORMATS.join(', ')} (decided by the file's content, not its name).`,
        { accepted: ACCEPTED_AUDIO_FORMATS },
      );
    }
    // The decoder may open the file only as the format sniffed here (audio/ffmpeg-input.ts).
    const audio = await this.normalizer.normalize({ ...call, format });
    this.logger.log({ msg: 'audio decoded', format, audio_seconds: round(audio.durationSeconds), warnings: audio.warnings.map((warning) => warning.code) });
    return { format, audio };
  }

  /**
   * One engine call on normalized audio, through the bounded dispatcher and under a deadline that grows with
   * the audio. Returns the engine's raw result (times relative to `audio`). Jobs call it once per window.
   */
  async runEngine({ audio, options, signal, onProgress, background = false }: EngineCall): Promise<TranscriptionResult> {
    this.metrics.queueDepth.set(this.dispatcher.queuedCount + 1);
    return this.dispatcher
      .run(
        async () => {
          this.metrics.queueDepth.set(this.dispatcher.queuedCount);
          this.metrics.inFlight.set(this.dispatcher.runningCount);
          const deadline = this.deadlineFor(audio.durationSeconds);
          const stopTimer = this.metrics.engineSeconds.startTimer({ engine: this.engine.describe().engine });
          try {
            return await this.engine.transcribe({ audio, options, signal: AbortSignal.any([signal, deadline.signal]), onProgress });
          } finally {
            stopTimer();
            deadline.clear();
            this.metrics.inFlight.set(this.dispatcher.runningCount - 1);
          }
        },
        signal,
        { background },
      )
      .finally(() => this.metrics.queueDepth.set(this.dispatcher.queuedCount));
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

  /** The engine's deadline grows with the audio: base + factor × seconds. */
  private deadlineFor(audioSeconds: number): { signal: AbortSignal; clear: () => void } {
    const { timeoutBaseSeconds, timeoutPerAudioSecond } = this.config.dispatch;
    const seconds = timeoutBaseSeconds + timeoutPerAudioSecond * audioSeconds;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DomainError('ENGINE_TIMEOUT', `The engine did not finish within ${Math.round(seconds)} s.`)),
      seconds * 1000,
    );
    timer.unref();
    return { signal: controller.signal, clear: () => clearTimeout(timer) };
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
