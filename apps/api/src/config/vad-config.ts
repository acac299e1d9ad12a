import { resolve } from 'node:path';
import { z } from 'zod';
import { bool, positiveInt } from './env-primitives';

/** Variables of the VAD stage (apps/api/src/vad): Silero runs before every engine unless turned off here. */
export const vadEnvShape = {
  /** false: no request is cut by speech detection (the `vad` and `chunking_strategy` fields are then ignored). */
  VAD_ENABLED: bool.default(true),
  /** The Silero v6.2 ONNX file, `npm run models:vad`'s output. */
  VAD_MODEL_PATH: z.string().min(1).default(resolve('.cache/models-vad/silero-vad-v6.2.onnx')),
  /** onnxruntime threads of the detector; 1 is ~130x real time and leaves the cores to the engine. */
  VAD_THREADS: positiveInt.default(1),
};

export type VadEnv = z.infer<z.ZodObject<typeof vadEnvShape>>;

export interface VadConfig {
  readonly enabled: boolean;
  readonly modelPath: string;
  readonly threads: number;
}

export function vadConfig(env: VadEnv): VadConfig {
  return { enabled: env.VAD_ENABLED, modelPath: env.VAD_MODEL_PATH, threads: env.VAD_THREADS };
}
