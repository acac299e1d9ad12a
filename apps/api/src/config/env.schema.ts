import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { authEnvShape } from './auth-config';
import { edgeEnvShape } from './edge-env';
import { bool, positiveInt } from './env-primitives';
import { fairShareEnvShape, refineFairShareEnv } from './fair-share-config';
import { jobsEnvShape } from './jobs-config';
import { limitsEnvShape, refineCorsOrigins } from './limits-config';
import { refineSageMakerEnv, sageMakerEnvShape } from './sagemaker-config';
import { refineStorageEnv, storageEnvShape } from './storage-config';
import { webhooksEnvShape } from './webhooks-config';

/** Every environment variable the API reads, with its default. Documented in the README. */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** Address to listen on. Loopback by default: a laptop's API is not on the network unless HOST says so (images set 0.0.0.0). */
    HOST: z.string().min(1).default('127.0.0.1'),
    /**
     * Extra Host-header names the API answers to while API keys are optional (localhost, 127.0.0.1 and [::1] always
     * are): comma-separated, e.g. `speech.lan,192.168.1.20`; `*` turns the DNS-rebinding check off.
     */
    ALLOWED_HOSTS: z.string().default(''),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** Comma-separated origins allowed by CORS; empty = same origin only; `*` = any. */
    CORS_ORIGINS: z.string().default(''),
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
    /** Built console to serve on the API's origin; ignored when the folder does not exist. */
    WEB_DIST: z.string().default(resolve('dist/apps/web/browser')),
    /**
     * After SIGTERM, how long in-flight requests may take before they are aborted with 503 SHUTTING_DOWN. Keep it
     * below the orchestrator's kill timeout (ECS stopTimeout, 120 s at most) with room for the clean-up.
     */
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(100),

    ENGINE: z.enum(['local', 'http', 'sagemaker']).default('local'),
    /** Requests the engine runs at once; the rest wait in the queue. */
    ENGINE_CONCURRENCY: positiveInt.default(1),
    /** Requests that may wait for the engine; beyond it the API answers 503 with Retry-After. */
    ENGINE_QUEUE_SIZE: z.coerce.number().int().min(0).default(16),
    /** Deadline of one engine call = base + factor × audio seconds. */
    ENGINE_TIMEOUT_BASE_SECONDS: positiveInt.default(60),
    ENGINE_TIMEOUT_PER_AUDIO_SECOND: z.coerce.number().positive().default(3),

    WHISPER_MODEL: z.string().default('large-v3-turbo'),
    WHISPER_MODELS_DIR: z.string().default(resolve('.cache/whisper-models')),
    /** A prebuilt whisper-worker (e.g. baked into an image); otherwise it is compiled once and cached. */
    WHISPER_WORKER_BINARY: z.string().optional(),
    /** CPU threads for whisper.cpp in total; default: the cores this process may use (cgroup-aware). */
    WHISPER_THREADS: positiveInt.optional(),
    /** Beam width of the local engine; 1 is greedy (whisper.cpp's and faster-whisper's beam runs use 5). */
    WHISPER_BEAM_SIZE: z.coerce.number().int().min(1).max(16).default(1),
    WHISPER_BUILD: z.enum(['native', 'portable', 'cuda', 'vulkan']).default('native'),
    WHISPER_USE_GPU: bool.default(false),
    WHISPER_AUTO_DOWNLOAD: bool.default(true),
    WHISPER_DOWNLOAD_BASE_URL: z.string().url().default('https://huggingface.co/ggerganov/whisper.cpp/resolve/main'),

    MODEL_SERVER_URL: z.string().url().optional(),
    SAGEMAKER_ENDPOINT_NAME: z.string().min(1).optional(),
    AWS_REGION: z.string().min(1).optional(),
    ...sageMakerEnvShape,

    ...storageEnvShape,
    ...jobsEnvShape,
    ...webhooksEnvShape,
    ...authEnvShape,
    ...limitsEnvShape,
    ...edgeEnvShape,
    ...fairShareEnvShape,
  })
  .superRefine((env, ctx) => {
    refineStorageEnv(env, ctx);
    refineCorsOrigins(env, ctx);
    refineFairShareEnv(env, ctx);
    if (env.ENGINE === 'http' && !env.MODEL_SERVER_URL) {
      ctx.addIssue({ code: 'custom', path: ['MODEL_SERVER_URL'], message: 'is required when ENGINE=http' });
    }
    if (env.ENGINE === 'sagemaker') {
      for (const key of ['SAGEMAKER_ENDPOINT_NAME', 'AWS_REGION'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when ENGINE=sagemaker' });
      }
      refineSageMakerEnv(env, ctx);
    }
  });

export type Env = z.infer<typeof envSchema>;

