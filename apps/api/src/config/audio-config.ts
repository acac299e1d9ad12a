import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { positiveInt } from './env-primitives';

/** Variables of uploads and the one decode (upload/, audio/). */
export const audioEnvShape = {
  /** Upload size cap in bytes, enforced while streaming. */
  MAX_FILE_SIZE: positiveInt.default(104_857_600),
  /** Longest audio a synchronous request accepts, in seconds. */
  MAX_AUDIO_SECONDS: positiveInt.default(1800),
  TMP_DIR: z.string().default(join(tmpdir(), 'speech-platform')),
  FFMPEG_PATH: z.string().optional(),
  /** ffmpeg decodes this process runs at once; default: the cores it may use. */
  DECODE_CONCURRENCY: positiveInt.optional(),
  /** Uploads that may wait for a decode slot; beyond it the API answers 503 DECODE_BUSY with Retry-After. */
  DECODE_QUEUE_SIZE: z.coerce.number().int().min(0).default(8),
  /** Temp disk (bytes) that this process's running decodes may fill with decoded audio (each reserves its worst case). */
  DECODE_TEMP_BUDGET_BYTES: positiveInt.default(2 * 1024 * 1024 * 1024),
};

export type AudioEnv = z.infer<z.ZodObject<typeof audioEnvShape>>;

export interface UploadConfig {
  readonly maxFileSize: number;
  readonly tmpDir: string;
}

export interface AudioConfig {
  readonly maxAudioSeconds: number;
  readonly ffmpegPath?: string;
  /** Per-process decode bounds (audio/decode-gate.ts). */
  readonly decode: { readonly concurrency: number; readonly queueSize: number; readonly tempBudgetBytes: number };
}

export function uploadConfig(env: AudioEnv): UploadConfig {
  return { maxFileSize: env.MAX_FILE_SIZE, tmpDir: env.TMP_DIR };
}

export function audioConfig(env: AudioEnv): AudioConfig {
  return {
    maxAudioSeconds: env.MAX_AUDIO_SECONDS,
    ffmpegPath: env.FFMPEG_PATH,
    decode: {
      concurrency: env.DECODE_CONCURRENCY ?? Math.max(1, availableParallelism()),
      queueSize: env.DECODE_QUEUE_SIZE,
      tempBudgetBytes: env.DECODE_TEMP_BUDGET_BYTES,
    },
  };
}
