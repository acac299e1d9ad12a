import { Injectable } from '@nestjs/common';
import type { TranscriptionOptions, TranscriptionResult } from '@speech/contracts';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { type NormalizedAudio, TranscriptionEngine } from '../engines/transcription-engine.port';
import { MetricsService } from '../metrics/metrics.service';
import { EngineDispatcher } from './engine-dispatcher';

export interface DispatchCall {
  readonly audio: NormalizedAudio;
  readonly options: TranscriptionOptions;
  readonly signal: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
  /** Job work waits for an engine slot however long the queue is (the worker pool bounds it) instead of being refused. */
  readonly background?: boolean;
}

/** One engine call inside a slot that runInSlot() holds. */
export type EngineCall = (audio: NormalizedAudio, options: TranscriptionOptions, onProgress?: (fraction: number) => void) => Promise<TranscriptionResult>;

/**
 * Stages 2 and 3: one engine call on decoded audio, in a slot of the bounded dispatcher and under a deadline that
 * grows with the audio. Returns the engine's raw result (times relative to `audio`). A sync request calls it once,
 * a job once per window.
 */
@Injectable()
export class DispatchStage {
  constructor(
    private readonly engine: TranscriptionEngine,
    private readonly dispatcher: EngineDispatcher,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  run({ audio, options, signal, onProgress, background = false }: DispatchCall): Promise<TranscriptionResult> {
    return this.runInSlot((call) => call(audio, options, onProgress), signal, background);
  }

  /**
   * Several engine calls in one slot, one after another (the speech chunks of one request or job window): the
   * request is admitted or refused once, as a single call would be, and never holds more than one slot. Each
   * call gets its own deadline, grown from its own audio.
   */
  runInSlot<T>(work: (call: EngineCall) => Promise<T>, signal: AbortSignal, background = false): Promise<T> {
    this.metrics.queueDepth.set(this.dispatcher.queuedCount + 1);
    return this.dispatcher
      .run(
        async () => {
          this.metrics.queueDepth.set(this.dispatcher.queuedCount);
          this.metrics.inFlight.set(this.dispatcher.runningCount);
          try {
            return await work((audio, options, onProgress) => this.callEngine(audio, options, signal, onProgress));
          } finally {
            this.metrics.inFlight.set(this.dispatcher.runningCount - 1);
          }
        },
        signal,
        { background },
      )
      .finally(() => this.metrics.queueDepth.set(this.dispatcher.queuedCount));
  }

  private async callEngine(audio: NormalizedAudio, options: TranscriptionOptions, signal: AbortSignal, onProgress?: (fraction: number) => void): Promise<TranscriptionResult> {
    if (signal.aborted) throw signal.reason;
    const deadline = this.deadlineFor(audio.durationSeconds);
    const stopTimer = this.metrics.engineSeconds.startTimer({ engine: this.engine.describe().engine });
    try {
      return await this.engine.transcribe({ audio, options, signal: AbortSignal.any([signal, deadline.signal]), onProgress });
    } finally {
      stopTimer();
      deadline.clear();
    }
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
