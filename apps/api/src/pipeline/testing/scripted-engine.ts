import type { TranscriptionResult } from '@speech/contracts';
import { TranscriptionEngine, type EngineDescription, type EngineHealth, type EngineRequest } from '../../engines/transcription-engine.port';

/** What the scripted engine does with one call: answer, fail, or hold until the call is aborted. */
export type EngineScript = (request: EngineRequest, call: number) => Promise<TranscriptionResult>;

/** A TranscriptionEngine for unit specs of the pipeline and the job runner: records its calls and follows a script. */
export class ScriptedEngine extends TranscriptionEngine {
  readonly calls: EngineRequest[] = [];

  /** `diarizes`: plays an engine that labels speakers itself (a model container), so the API's stage stays out. */
  constructor(
    private readonly script: EngineScript,
    private readonly diarizes = false,
  ) {
    super();
  }

  describe(): EngineDescription {
    return { engine: 'local', model: 'scripted', concurrency: 1, diarizes: this.diarizes };
  }

  /** Nothing to load: the script is the model. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  transcribe(request: EngineRequest): Promise<TranscriptionResult> {
    this.calls.push(request);
    return this.script(request, this.calls.length);
  }

  async health(): Promise<EngineHealth> {
    return { ready: true, detail: {} };
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}

/** Settles only when the call's signal aborts, with its reason: an engine that honours cancellation and deadlines. */
export function untilAborted(request: EngineRequest): Promise<never> {
  return new Promise((_, reject) => {
    if (request.signal.aborted) reject(request.signal.reason);
    request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
  });
}

/** A result with one segment (and its words) per second of audio, in the engine's times (relative to the audio). */
export function secondBySecond(durationSeconds: number, label = 'word'): TranscriptionResult {
  const segments = Array.from({ length: Math.max(1, Math.floor(durationSeconds)) }, (_, i) => ({
    id: i,
    start: i,
    end: i + 0.9,
    text: ` ${label}${i}`,
    words: [{ word: `${label}${i}`, start: i + 0.1, end: i + 0.8 }],
  }));
  return { text: segments.map((segment) => segment.text).join(''), language: 'en', duration: durationSeconds, segments };
}
