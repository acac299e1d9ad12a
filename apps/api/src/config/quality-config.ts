import { z } from 'zod';
import { bool } from './env-primitives';

/**
 * Variables of segment quality (pipeline/segment-quality/) and Whisper's temperature fallback. Defaults are Whisper's
 * own (openai-whisper `transcribe()`: compression_ratio_threshold 2.4, logprob_threshold −1.0, temperatures 0.0…1.0
 * in steps of 0.2), so a flag means what it means in every Whisper tool.
 */
export const qualityEnvShape = {
  /** avg_logprob below this flags a segment `low_confidence` (and, with the fallback on, makes the engine retry warmer). */
  QUALITY_LOGPROB_THRESHOLD: z.coerce.number().max(0).default(-1),
  /** compression_ratio above this flags a segment `repetition`. */
  QUALITY_COMPRESSION_RATIO_THRESHOLD: z.coerce.number().min(1).default(2.4),
  /** Share of a segment that must lie in speech (VAD regions) not to be flagged `outside_speech`. */
  QUALITY_MIN_SPEECH_OVERLAP: z.coerce.number().min(0).max(1).default(0.5),
  /** Whisper's temperature fallback: a window that fails the thresholds is decoded again at the next temperature. */
  TEMPERATURE_FALLBACK: bool.default(true),
  /** The step between temperatures of the fallback (0.2 → 0.0, 0.2, …, 1.0). */
  TEMPERATURE_INCREMENT: z.coerce.number().gt(0).max(1).default(0.2),
};

export type QualityEnv = z.infer<z.ZodObject<typeof qualityEnvShape>>;

export interface QualityConfig {
  readonly logprobThreshold: number;
  readonly compressionRatioThreshold: number;
  readonly minSpeechOverlap: number;
  /** 0 when the fallback is off: engines then decode each window once, at the requested temperature. */
  readonly temperatureIncrement: number;
}

export function qualityConfig(env: QualityEnv): QualityConfig {
  return {
    logprobThreshold: env.QUALITY_LOGPROB_THRESHOLD,
    compressionRatioThreshold: env.QUALITY_COMPRESSION_RATIO_THRESHOLD,
    minSpeechOverlap: env.QUALITY_MIN_SPEECH_OVERLAP,
    temperatureIncrement: env.TEMPERATURE_FALLBACK ? env.TEMPERATURE_INCREMENT : 0,
  };
}
