import { Injectable, Logger } from '@nestjs/common';
import { ACCEPTED_AUDIO_FORMATS, type TranscriptionOptions, type TranscriptionResult } from '@speech/contracts';
import { AudioNormalizer } from '../audio/audio-normalizer';
import { sniffAudioFile } from '../audio/format-sniffer';
import { AppConfig } from '../config/app-config';
import { DomainError, isDomainError } from '../common/domain-error';
import { TranscriptionEngine } from '../engines/transcription-engine.port';
import { MetricsService } from '../metrics/metrics.service';
import type { ReceivedUpload } from '../upload/audio-upload.interceptor';
import { EngineDispatcher } from './engine-dispatcher';
import { tidyResult } from './tidy-result';

export interface TranscribeCall {
  readonly upload: ReceivedUpload;
  readonly options: TranscriptionOptions;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
}

/** One path for audio: sniff → decode once to 16 kHz mono → bounded dispatch with a deadline → engine → tidy result. */
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
    const format = await sniffAudioFile(upload.path);
    if (!format) {
      throw new DomainError(
        'UNSUPPORTED_MEDIA',
        `The file is not in a supported audio format. Accepted: ${ACCEPTED_AUDIO_FORMATS.join(', ')} (decided by the file's content, not its name).`,
        { accepted: ACCEPTED_AUDIO_FORMATS },
      );
    }
    const audio = await this.normalizer.normalize({
      inputPath: upload.path,
      outputPath: upload.workspace.file('audio.f32'),
      maxSeconds: this.config.audio.maxAudioSeconds,
      signal,
    });
    this.logger.log({ msg: 'audio decoded', format, bytes: upload.size, audio_seconds: round(audio.durationSeconds) });
    this.metrics.queueDepth.set(this.dispatcher.queuedCount + 1);
    const result = await this.dispatcher.run(async () => {
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
    }, signal).finally(() => this.metrics.queueDepth.set(this.dispatcher.queuedCount));
    return tidyResult(result, audio.durationSeconds, options.wordTimestamps);
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
