import type { VadEnv } from './vad-config';
import { z } from 'zod';
import { bool } from './env-primitives';

/** Variables of the realtime transcription sessions (`/v1/realtime`, realtime/). */
export const realtimeEnvShape = {
  /** Realtime sessions open at once in this process; 0 turns the route off. */
  REALTIME_MAX_SESSIONS: z.coerce.number().int().min(0).max(10_000).default(16),
  /** Of those, at most this many per API key (anonymous callers share one bucket). */
  REALTIME_MAX_SESSIONS_PER_KEY: z.coerce.number().int().min(1).max(10_000).default(4),
  /** A session that receives no event for this long is closed. */
  REALTIME_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().positive().max(3600).default(30),
  /** A session is closed after this long, whatever it does. */
  REALTIME_MAX_SESSION_SECONDS: z.coerce.number().int().positive().max(86_400).default(3600),
  /** Longest turn: server VAD commits a turn of continuous speech at this length; a manual buffer may not grow past it. */
  REALTIME_MAX_TURN_SECONDS: z.coerce.number().positive().max(120).default(30),
  /** Partial text: the turn so far is decoded again after this much more audio (when the engine has a free slot). */
  REALTIME_PARTIAL_INTERVAL_MS: z.coerce.number().int().min(100).max(10_000).default(500),
  /**
   * Finals of turns from REALTIME_FIT_FINAL_MIN_SECONDS up to this long run the encoder over the turn only (audio_ctx
   * fitted to it, at least 7.7 s) instead of the full 30 s window: on 2 cores a 3 s turn's final takes ~0.17 s
   * instead of ~0.55 s. 0: never, every final gets the full window. (It was off by default while whisper.cpp's
   * flash attention read unmasked padding rows left by earlier windows of other sizes, so a turn's text depended on
   * the decodes before it; apps/api/native/whisper-patches masks them.)
   */
  REALTIME_FIT_FINAL_MAX_SECONDS: z.coerce.number().min(0).max(30).default(30),
  /**
   * Shorter turns get the full window: on a fitted one tiny.en loses words in turns under 2 s (streaming/
   * fit-encoder-rule.ts has the measurement).
   */
  REALTIME_FIT_FINAL_MIN_SECONDS: z.coerce.number().min(0).max(30).default(2),
  /**
   * Finals of turns shorter than REALTIME_FIT_FINAL_MIN_SECONDS get a fitted window of at least this many seconds
   * (25.6 s = 1280 encoder frames: ~0.36 s on 2 cores instead of the full window's ~0.5 s, which alone would put a
   * short turn's final past 700 ms; streaming/fit-encoder-rule.ts has the accuracy); 30: the full window.
   */
  REALTIME_SHORT_FINAL_WINDOW_SECONDS: z.coerce.number().min(0).max(30).default(25.6),
  /** Partials run the encoder over the turn so far only (see above); false: the full window. */
  REALTIME_FIT_PARTIALS: bool.default(true),
  /**
   * Turns may be decoded again warmer (TEMPERATURE_FALLBACK) when the greedy pass fails Whisper's thresholds. Warmer
   * passes sample from the worker's one random generator, so a turn's text then depends on the other sessions'
   * decodes before it; off: one greedy pass, the same text for the same audio whatever else runs.
   */
  REALTIME_TEMPERATURE_FALLBACK: bool.default(true),
  /**
   * Partial text and speculative finals decode an open turn again and again. `auto`: with the local engine only (the
   * loaded model, no cost per call); the http and sagemaker engines get one call per committed turn, whose text comes
   * as one delta and `completed`. `on`: every engine (a GPU model container can afford it); `off`: none.
   */
  REALTIME_PARTIALS: z.enum(['auto', 'on', 'off']).default('auto'),
};

export interface RealtimeConfig {
  readonly vadModelPath: string;
  readonly maxSessions: number;
  readonly maxSessionsPerKey: number;
  readonly idleTimeoutMs: number;
  readonly maxSessionMs: number;
  readonly maxTurnSeconds: number;
  readonly partialIntervalMs: number;
  readonly fitFinalMaxSeconds: number;
  readonly fitFinalMinSeconds: number;
  readonly fitPartials: boolean;
  /** Window floor of short turns' finals; ≥ 30: the full window. */
  readonly shortFinalWindowSeconds: number;
  readonly temperatureFallback: boolean;
  readonly partials: 'auto' | 'on' | 'off';
}

type RealtimeEnv = z.infer<z.ZodObject<typeof realtimeEnvShape>>;

/** Turn detection uses the same Silero weights as the file pipeline (VAD_MODEL_PATH; missing: sessions get MODEL_UNAVAILABLE). */
export function realtimeConfig(env: RealtimeEnv & Pick<VadEnv, 'VAD_MODEL_PATH'>): RealtimeConfig {
  return {
    vadModelPath: env.VAD_MODEL_PATH,
    maxSessions: env.REALTIME_MAX_SESSIONS,
    maxSessionsPerKey: env.REALTIME_MAX_SESSIONS_PER_KEY,
    idleTimeoutMs: env.REALTIME_IDLE_TIMEOUT_SECONDS * 1000,
    maxSessionMs: env.REALTIME_MAX_SESSION_SECONDS * 1000,
    maxTurnSeconds: env.REALTIME_MAX_TURN_SECONDS,
    partialIntervalMs: env.REALTIME_PARTIAL_INTERVAL_MS,
    fitFinalMaxSeconds: env.REALTIME_FIT_FINAL_MAX_SECONDS,
    fitFinalMinSeconds: env.REALTIME_FIT_FINAL_MIN_SECONDS,
    fitPartials: env.REALTIME_FIT_PARTIALS,
    shortFinalWindowSeconds: env.REALTIME_SHORT_FINAL_WINDOW_SECONDS,
    temperatureFallback: env.REALTIME_TEMPERATURE_FALLBACK,
    partials: env.REALTIME_PARTIALS,
  };
}
