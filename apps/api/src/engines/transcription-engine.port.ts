import type { TranscriptionOptions, TranscriptionResult } from '@speech/contracts';
import type { NormalizedAudio } from '../audio/decoded-audio';

export type { NormalizedAudio } from '../audio/decoded-audio';

export interface EngineRequest {
  readonly audio: NormalizedAudio;
  readonly options: TranscriptionOptions;
  /** The served model's id (see ModelRegistry.resolve); absent: the engine's default model. */
  readonly model?: string;
  /**
   * Aborted when the client disconnects or the service's deadline passes. `signal.reason` is a
   * DomainError (`CANCELLED` or `ENGINE_TIMEOUT`); an engine rejects with that reason promptly.
   */
  readonly signal: AbortSignal;
  /** Fraction done, 0..1, as the engine learns it. */
  readonly onProgress?: (fraction: number) => void;
  /** Set only for an engine that diarizes itself (`describe().diarizes`): who spoke when, asked of the engine. */
  readonly diarization?: EngineDiarization;
}

/** Speaker diarization as an engine that does it itself is asked for it (the model container's `diarize` options). */
export interface EngineDiarization {
  readonly speakers?: number;
  readonly minSpeakers?: number;
  readonly maxSpeakers?: number;
  /** Reference voices, already decoded by the API to 16 kHz mono samples. */
  readonly knownSpeakers: ReadonlyArray<{ readonly name: string; readonly samples: Float32Array }>;
}

export interface EngineHealth {
  readonly ready: boolean;
  /** Human-readable facts shown on /health (model, threads, build, last error). */
  readonly detail: Record<string, unknown>;
}

export interface EngineDescription {
  readonly engine: 'local' | 'http' | 'sagemaker';
  readonly model: string;
  /** How many requests the engine runs at once; the service queues the rest. */
  readonly concurrency: number;
  /**
   * True when the engine labels speakers itself (given `EngineRequest.diarization`, it returns `segments[].speaker` and
   * `words[].speaker`, segments already split at speaker changes); otherwise the API's diarization stage does it.
   */
  readonly diarizes: boolean;
}

/**
 * The port every engine adapter implements. The abstract class is its own DI token.
 * Failures are DomainErrors with stable codes (ENGINE_FAILED, ENGINE_TIMEOUT, MODEL_UNAVAILABLE, …).
 * Times in the result are seconds from the start of `audio`.
 */
export abstract class TranscriptionEngine {
  abstract describe(): EngineDescription;
  /** Load or check what the engine needs; called once at start-up. Must not throw for a missing model: health reports it. */
  abstract start(): Promise<void>;
  abstract transcribe(request: EngineRequest): Promise<TranscriptionResult>;
  abstract health(): Promise<EngineHealth>;
  /** Release processes and memory; called on shutdown. */
  abstract stop(): Promise<void>;

  /** Whether a model's weights are loaded or a request runs on it (its file must then stay); absent: never (remote engines). */
  modelInUse?(id: string): boolean;
}
