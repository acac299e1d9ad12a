import { resolve } from 'node:path';
import { z } from 'zod';
import { bool, positiveInt } from './env-primitives';

/** Variables of the diarization stage (diarization/): the speaker encoder and how much speaker work runs at once. */
export const diarizationEnvShape = {
  /** `false` refuses `diarize=true` (and diarized_json) with 400 INVALID_OPTION instead of loading the encoder. */
  DIARIZATION_ENABLED: bool.default(true),
  /** The CAM++ speaker encoder (ONNX); `npm run models:speaker` writes it to the default path. */
  SPEAKER_MODEL: z.string().min(1).default(resolve('.cache/models-real/speaker/campplus-3dspeaker.onnx')),
  /** Diarizations this process runs at once. One by default: the transcription engine owns the cores. */
  DIARIZATION_CONCURRENCY: positiveInt.default(1),
  /** Sync requests that may wait for a diarization slot; beyond it the API answers 503 ENGINE_BUSY (jobs always wait). */
  DIARIZATION_QUEUE_SIZE: z.coerce.number().int().min(0).default(4),
  /** onnxruntime intra-op threads of the encoder. */
  DIARIZATION_THREADS: positiveInt.default(1),
};

export type DiarizationEnv = z.infer<z.ZodObject<typeof diarizationEnvShape>>;

export interface DiarizationConfig {
  readonly enabled: boolean;
  readonly modelPath: string;
  readonly concurrency: number;
  readonly queueSize: number;
  readonly threads: number;
}

export function diarizationConfig(env: DiarizationEnv): DiarizationConfig {
  return {
    enabled: env.DIARIZATION_ENABLED,
    modelPath: env.SPEAKER_MODEL,
    concurrency: env.DIARIZATION_CONCURRENCY,
    queueSize: env.DIARIZATION_QUEUE_SIZE,
    threads: env.DIARIZATION_THREADS,
  };
}
