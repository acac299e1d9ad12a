import { resolve } from 'node:path';
import { z } from 'zod';
import { bool, positiveInt } from './env-primitives';
import { modelMap, parseModelMap, sageMakerTarget, type SageMakerTarget } from './model-maps';
import { refineSageMakerEnv, sageMakerSection, type SageMakerEnv, type SageMakerSection } from './sagemaker-config';

/**
 * Variables of the engine: which one, how many calls at once, and each adapter's own (the sagemaker adapter's are
 * in sagemaker-config.ts, composed here). AWS_REGION is shared with storage, so env.schema.ts declares it.
 */
export const engineEnvShape = {
  ENGINE: z.enum(['local', 'http', 'sagemaker']).default('local'),
  /** Requests the engine runs at once per model; the default of ENGINE_MODEL_CONCURRENCY. */
  ENGINE_CONCURRENCY: positiveInt.default(1),
  /**
   * Requests at once per model (its slots; the rest wait in the queue). Each model has its own, so a request for one
   * model never waits behind another model's. Default: ENGINE_CONCURRENCY.
   */
  ENGINE_MODEL_CONCURRENCY: positiveInt.optional(),
  /** Requests that may wait for the engine; beyond it the API answers 503 with Retry-After. */
  ENGINE_QUEUE_SIZE: z.coerce.number().int().min(0).default(16),
  /** Deadline of one engine call = base + factor × audio seconds. */
  ENGINE_TIMEOUT_BASE_SECONDS: positiveInt.default(60),
  ENGINE_TIMEOUT_PER_AUDIO_SECOND: z.coerce.number().positive().default(3),

  WHISPER_MODEL: z.string().default('large-v3-turbo'),
  /**
   * Further models the local engine serves besides WHISPER_MODEL, comma-separated catalog names or ggml file paths;
   * a request picks one with its `model` field. Each loads in its own worker on first use.
   */
  WHISPER_MODELS: z.string().default(''),
  /** The model `task=translate` runs on when the request names none (or `whisper-1`); one of the served models. */
  WHISPER_TRANSLATION_MODEL: z.string().min(1).optional(),
  /** Stop a model's worker (its memory goes back to the system) after this many idle seconds; 0: never. The default model stays. */
  WHISPER_MODEL_IDLE_UNLOAD_SECONDS: z.coerce.number().int().min(0).default(600),
  /** MiB of model weights loaded at once; loading past it unloads the least recently used idle models first. 0: no limit. */
  WHISPER_MODEL_MEMORY_BUDGET_MB: z.coerce.number().int().min(0).default(0),
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
  /** Older name of MODEL_DOWNLOAD_BASE_URL. */
  WHISPER_DOWNLOAD_BASE_URL: z.string().url().optional(),
  /** Where `ggml-<name>.bin` files are downloaded from (whisper.cpp's Hugging Face repository, or a mirror). */
  MODEL_DOWNLOAD_BASE_URL: z.string().url().optional(),
  /** Model downloads at once (POST /v1/models/{id}/download, the CLI, automatic ones); one more is refused (503). */
  MODEL_DOWNLOAD_CONCURRENCY: positiveInt.default(2),
  /** `name=sha1,…`: SHA-1s that replace whisper.cpp's published ones, for a mirror that serves its own conversions. */
  MODEL_DOWNLOAD_SHA1: z.string().default(''),

  MODEL_SERVER_URL: z.string().url().optional(),
  /** `name=url,…`: further model containers of the http engine, each serving the model a request names. */
  MODEL_SERVER_MODELS: z.string().default(''),
  SAGEMAKER_ENDPOINT_NAME: z.string().min(1).optional(),
  /** `name=endpoint[/variant],…`: the SageMaker endpoint (and production variant) of each further model. */
  SAGEMAKER_MODELS: z.string().default(''),
};

export const DEFAULT_MODEL_DOWNLOAD_BASE_URL = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main';

export type EngineEnv = z.infer<z.ZodObject<typeof engineEnvShape>> & SageMakerEnv;

export interface DispatchConfig {
  /** Requests at once per model. */
  readonly concurrency: number;
  readonly queueSize: number;
  readonly timeoutBaseSeconds: number;
  readonly timeoutPerAudioSecond: number;
}

export interface LocalEngineSection {
  /** The default model: `whisper-1` and requests without `model` get it. */
  readonly model: string;
  /** Every model served, the default first (catalog names or file paths), without repeats. */
  readonly models: readonly string[];
  /** Where translations go by default; absent: the default model. */
  readonly translationModel?: string;
  readonly idleUnloadSeconds: number;
  readonly memoryBudgetBytes: number;
  readonly modelsDir: string;
  /** Undefined: the engine uses the cores available to the process. */
  readonly threads?: number;
  /** 1: greedy. */
  readonly beamSize: number;
  readonly build: EngineEnv['WHISPER_BUILD'];
  readonly useGpu: boolean;
  readonly autoDownload: boolean;
  readonly downloadBaseUrl: string;
  readonly downloadConcurrency: number;
  /** SHA-1 pins by model name (MODEL_DOWNLOAD_SHA1). */
  readonly downloadSha1: ReadonlyMap<string, string>;
  readonly workerBinary?: string;
}

/** The http engine: the default model container, and one per further named model. */
export interface HttpEngineSection {
  readonly url: string;
  readonly models: ReadonlyMap<string, string>;
}

export type EngineSection =
  | { readonly kind: 'local'; readonly local: LocalEngineSection }
  | { readonly kind: 'http'; readonly http: HttpEngineSection }
  | { readonly kind: 'sagemaker'; readonly sagemaker: SageMakerSection; readonly models: ReadonlyMap<string, SageMakerTarget> };

/** Keys required only for the engine in use. */
export function refineEngineEnv(env: EngineEnv, ctx: z.RefinementCtx): void {
  if (env.ENGINE === 'http' && !env.MODEL_SERVER_URL) {
    ctx.addIssue({ code: 'custom', path: ['MODEL_SERVER_URL'], message: 'is required when ENGINE=http' });
  }
  if (env.ENGINE === 'sagemaker') {
    for (const key of ['SAGEMAKER_ENDPOINT_NAME', 'AWS_REGION'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when ENGINE=sagemaker' });
    }
    refineSageMakerEnv(env, ctx);
  }
  for (const key of ['MODEL_SERVER_MODELS', 'SAGEMAKER_MODELS', 'MODEL_DOWNLOAD_SHA1'] as const) {
    const parsed = parseModelMap(env[key]);
    if ('problem' in parsed) ctx.addIssue({ code: 'custom', path: [key], message: `${parsed.problem}; expected name=value,name=value` });
  }
  for (const [name, url] of modelMap(env.MODEL_SERVER_MODELS)) {
    if (!URL.canParse(url)) ctx.addIssue({ code: 'custom', path: ['MODEL_SERVER_MODELS'], message: `the URL of "${name}" is not a URL` });
  }
  for (const [name, sha1] of modelMap(env.MODEL_DOWNLOAD_SHA1)) {
    if (!/^[0-9a-f]{40}$/i.test(sha1)) ctx.addIssue({ code: 'custom', path: ['MODEL_DOWNLOAD_SHA1'], message: `the SHA-1 of "${name}" is not 40 hex digits` });
  }
  if (env.WHISPER_TRANSLATION_MODEL && !servedModels(env).includes(env.WHISPER_TRANSLATION_MODEL)) {
    ctx.addIssue({ code: 'custom', path: ['WHISPER_TRANSLATION_MODEL'], message: 'must be WHISPER_MODEL or one of WHISPER_MODELS' });
  }
  if (env.WHISPER_TRANSLATION_MODEL && /\.en\b/.test(env.WHISPER_TRANSLATION_MODEL)) {
    ctx.addIssue({ code: 'custom', path: ['WHISPER_TRANSLATION_MODEL'], message: 'an English-only (.en) model cannot translate' });
  }
}

/** WHISPER_MODEL first, then WHISPER_MODELS, each once. */
function servedModels(env: Pick<EngineEnv, 'WHISPER_MODEL' | 'WHISPER_MODELS'>): string[] {
  const extra = env.WHISPER_MODELS.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  return [...new Set([env.WHISPER_MODEL, ...extra])];
}

export function dispatchConfig(env: EngineEnv): DispatchConfig {
  return {
    concurrency: env.ENGINE_MODEL_CONCURRENCY ?? env.ENGINE_CONCURRENCY,
    queueSize: env.ENGINE_QUEUE_SIZE,
    timeoutBaseSeconds: env.ENGINE_TIMEOUT_BASE_SECONDS,
    timeoutPerAudioSecond: env.ENGINE_TIMEOUT_PER_AUDIO_SECOND,
  };
}

export function engineSection(env: EngineEnv): EngineSection {
  switch (env.ENGINE) {
    case 'local':
      return {
        kind: 'local',
        local: {
          model: env.WHISPER_MODEL,
          models: servedModels(env),
          ...(env.WHISPER_TRANSLATION_MODEL ? { translationModel: env.WHISPER_TRANSLATION_MODEL } : {}),
          idleUnloadSeconds: env.WHISPER_MODEL_IDLE_UNLOAD_SECONDS,
          memoryBudgetBytes: env.WHISPER_MODEL_MEMORY_BUDGET_MB * 1024 * 1024,
          modelsDir: env.WHISPER_MODELS_DIR,
          threads: env.WHISPER_THREADS,
          beamSize: env.WHISPER_BEAM_SIZE,
          build: env.WHISPER_BUILD,
          useGpu: env.WHISPER_USE_GPU,
          autoDownload: env.WHISPER_AUTO_DOWNLOAD,
          downloadBaseUrl: env.MODEL_DOWNLOAD_BASE_URL ?? env.WHISPER_DOWNLOAD_BASE_URL ?? DEFAULT_MODEL_DOWNLOAD_BASE_URL,
          downloadConcurrency: env.MODEL_DOWNLOAD_CONCURRENCY,
          downloadSha1: new Map(modelMap(env.MODEL_DOWNLOAD_SHA1).map(([name, sha1]) => [name, sha1.toLowerCase()])),
          workerBinary: env.WHISPER_WORKER_BINARY,
        },
      };
    case 'http':
      return { kind: 'http', http: { url: env.MODEL_SERVER_URL as string, models: new Map(modelMap(env.MODEL_SERVER_MODELS)) } };
    case 'sagemaker':
      return {
        kind: 'sagemaker',
        sagemaker: sageMakerSection(env),
        models: new Map(modelMap(env.SAGEMAKER_MODELS).map(([name, target]) => [name, sageMakerTarget(target)])),
      };
  }
}
