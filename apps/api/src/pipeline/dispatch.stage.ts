import { Injectable } from '@nestjs/common';
import type { TranscriptionOptions, TranscriptionResult } from '@speech/contracts';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { ModelRegistry, type ServedModel } from '../engines/model-registry';
import { type EngineDiarization, type NormalizedAudio, TranscriptionEngine } from '../engines/transcription-engine.port';
import { MetricsService } from '../metrics/metrics.service';
import { EngineDispatcher } from './engine-dispatcher';

/** What the engine is asked for: decoding options, the model named by the request, and self-diarization. */
export type DispatchOptions = TranscriptionOptions & { readonly model?: string };

export interface DispatchCall {
  readonly audio: NormalizedAudio;
  readonly options: DispatchOptions;
  readonly signal: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
  /** Job work waits for an engine slot however long the queue is (the worker pool bounds it) instead of being refused. */
  readonly background?: boolean;
  /** Passed to an engine that diarizes itself (see DiarizeStage.plan). */
  readonly diarization?: EngineDiarization;
}

/** One engine call inside a slot that runInSlot() holds. */
export type EngineCall = (audio: NormalizedAudio, options: DispatchOptions, onProgress?: (fraction: number) => void) => Promise<TranscriptionResult>;

/**
 * Stages 2 and 3: engine calls on decoded audio, in a slot of the bounded dispatcher and under a deadline that
 * grows with the audio. Returns the engine's raw result (times relative to `audio`). A sync request without VAD
 * calls it once; with VAD, once per speech chunk inside one slot; a job once per window.
 */
@Injectable()
export class DispatchStage {
  constructor(
    private readonly engine: TranscriptionEngine,
    private readonly dispatcher: EngineDispatcher,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly models: ModelRegistry,
  ) {}

  /** The served model a request runs on; throws INVALID_OPTION (param `model`, the valid names) for an unknown one. */
  modelFor(options: DispatchOptions): ServedModel {
    return this.models.resolve(options.model, options.task);
  }

  run({ audio, options, signal, onProgress, background = false, diarization }: DispatchCall): Promise<TranscriptionResult> {
    try {
      this.modelFor(options); // an unknown model is refused before it waits for a slot
    } catch (error) {
      return Promise.reject(error);
    }
    return this.runInSlot((call) => call(audio, options, onProgress), signal, background, diarization, options);
  }

  /**
   * Several engine calls in one slot, one after another (the speech chunks of one request or job window): the
   * request is admitted or refused once, as a single call would be, and never holds more than one slot. Each
   * call gets its own deadline, grown from its own audio. The slot is one of the requested model's (`options`), so
   * requests for different models run side by side.
   */
  runInSlot<T>(
    work: (call: EngineCall) => Promise<T>,
    signal: AbortSignal,
    background = false,
    diarization?: EngineDiarization,
    options?: DispatchOptions,
  ): Promise<T> {
    let lane: string;
    try {
      lane = options ? this.modelFor(options).id : this.models.defaultId;
    } catch (error) {
      return Promise.reject(error);
    }
    this.metrics.queueDepth.set(this.dispatcher.queuedCount + 1);
    return this.dispatcher
      .run(
        async () => {
          this.metrics.queueDepth.set(this.dispatcher.queuedCount);
          this.metrics.inFlight.set(this.dispatcher.runningCount);
          try {
            return await work((audio, options, onProgress) => this.callEngine(audio, options, signal, onProgress, diarization));
          } finally {
            this.metrics.inFlight.set(this.dispatcher.runningCount - 1);
          }
        },
        signal,
        { background, lane },
      )
      .finally(() => this.metrics.queueDepth.set(this.dispatcher.queuedCount));
  }

  private async callEngine(
    audio: NormalizedAudio,
    options: DispatchOptions,
    signal: AbortSignal,
    onProgress?: (fraction: number) => void,
    diarization?: EngineDiarization,
  ): Promise<TranscriptionResult> {
    if (signal.aborted) throw signal.reason;
    const model = this.modelFor(options);
    const deadline = this.deadlineFor(audio.durationSeconds);
    const stopTimer = this.metrics.engineSeconds.startTimer({ engine: this.engine.describe().engine });
    try {
      const engineSignal = AbortSignal.any([signal, deadline.signal]);
      return await this.engine.transcribe({ audio, options, model: model.id, signal: engineSignal, onProgress, ...(diarization ? { diarization } : {}) });
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
