import { availableParallelism } from 'node:os';
import { type AuthConfig, authConfig } from './auth-config';
import { type EdgeConfig, edgeConfig } from './edge-env';
import { type LimitsConfig, limitsConfig } from './limits-config';
import { type FairShareConfig, fairShareConfig } from './fair-share-config';
import { describeIssues } from './env-primitives';
import { envSchema, type Env } from './env.schema';
import { jobsConfig, type JobsConfig } from './jobs-config';
import { sageMakerSection, type SageMakerSection } from './sagemaker-config';
import { storageConfig, type StorageConfig } from './storage-config';
import { webhookConfig, type WebhookConfig } from './webhooks-config';

export type { SageMakerAsyncSection, SageMakerSection } from './sagemaker-config';
export type { AuthConfig } from './auth-config';
export type { LimitsConfig } from './limits-config';
export type { FairShareConfig } from './fair-share-config';
export type { JobsConfig } from './jobs-config';
export type { BlobStoreSection, JobStoreSection, StorageConfig } from './storage-config';
export type { WebhookConfig } from './webhooks-config';

export interface ServerConfig {
  readonly nodeEnv: Env['NODE_ENV'];
  readonly host: string;
  readonly port: number;
  /** Host-header names accepted while API keys are optional, besides the loopback names; `'*'`: any. */
  readonly allowedHosts: '*' | readonly string[];
  readonly logLevel: Env['LOG_LEVEL'];
  /** `'*'` allows any origin; an empty list allows none (same origin only). */
  readonly corsOrigins: '*' | readonly string[];
  readonly webDist: string;
  /** SIGTERM → in-flight requests get this long before they are aborted (graceful-shutdown.ts). */
  readonly shutdownGraceSeconds: number;
  /** Health-probe rate limit and event-stream caps. */
  readonly edge: EdgeConfig;
}

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

export interface DispatchConfig {
  readonly concurrency: number;
  readonly queueSize: number;
  readonly timeoutBaseSeconds: number;
  readonly timeoutPerAudioSecond: number;
}

export interface LocalEngineSection {
  readonly model: string;
  readonly modelsDir: string;
  /** Undefined: the engine uses the cores available to the process. */
  readonly threads?: number;
  /** 1: greedy. */
  readonly beamSize: number;
  readonly build: Env['WHISPER_BUILD'];
  readonly useGpu: boolean;
  readonly autoDownload: boolean;
  readonly downloadBaseUrl: string;
  readonly workerBinary?: string;
}

export type EngineSection =
  | { readonly kind: 'local'; readonly local: LocalEngineSection }
  | { readonly kind: 'http'; readonly http: { readonly url: string } }
  | { readonly kind: 'sagemaker'; readonly sagemaker: SageMakerSection };

/** The one validated configuration object, built once at boot. Also the DI token. */
export class AppConfig {
  constructor(
    readonly server: ServerConfig,
    readonly upload: UploadConfig,
    readonly audio: AudioConfig,
    readonly dispatch: DispatchConfig,
    readonly engine: EngineSection,
    readonly jobs: JobsConfig,
    readonly storage: StorageConfig,
    readonly webhooks: WebhookConfig,
    readonly auth: AuthConfig,
    readonly limits: LimitsConfig,
    readonly fairShare: FairShareConfig,
  ) {}
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Validate the environment and build the typed config; throws ConfigError listing every problem. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(describeIssues(parsed.error));
  }
  const env = parsed.data;
  const origins = env.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean);
  const hosts = env.ALLOWED_HOSTS.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
  return new AppConfig(
    {
      nodeEnv: env.NODE_ENV,
      host: env.HOST,
      port: env.PORT,
      allowedHosts: hosts.includes('*') ? '*' : hosts,
      logLevel: env.LOG_LEVEL,
      corsOrigins: origins.includes('*') ? '*' : origins,
      webDist: env.WEB_DIST,
      shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS,
      edge: edgeConfig(env),
    },
    { maxFileSize: env.MAX_FILE_SIZE, tmpDir: env.TMP_DIR },
    {
      maxAudioSeconds: env.MAX_AUDIO_SECONDS,
      ffmpegPath: env.FFMPEG_PATH,
      decode: {
        concurrency: env.DECODE_CONCURRENCY ?? Math.max(1, availableParallelism()),
        queueSize: env.DECODE_QUEUE_SIZE,
        tempBudgetBytes: env.DECODE_TEMP_BUDGET_BYTES,
      },
    },
    {
      concurrency: env.ENGINE_CONCURRENCY,
      queueSize: env.ENGINE_QUEUE_SIZE,
      timeoutBaseSeconds: env.ENGINE_TIMEOUT_BASE_SECONDS,
      timeoutPerAudioSecond: env.ENGINE_TIMEOUT_PER_AUDIO_SECOND,
    },
    engineSection(env),
    jobsConfig(env),
    storageConfig(env),
    webhookConfig(env),
    authConfig(env),
    limitsConfig(env),
    fairShareConfig(env),
  );
}

function engineSection(env: Env): EngineSection {
  switch (env.ENGINE) {
    case 'local':
      return {
        kind: 'local',
        local: {
          model: env.WHISPER_MODEL,
          modelsDir: env.WHISPER_MODELS_DIR,
          threads: env.WHISPER_THREADS,
          beamSize: env.WHISPER_BEAM_SIZE,
          build: env.WHISPER_BUILD,
          useGpu: env.WHISPER_USE_GPU,
          autoDownload: env.WHISPER_AUTO_DOWNLOAD,
          downloadBaseUrl: env.WHISPER_DOWNLOAD_BASE_URL,
          workerBinary: env.WHISPER_WORKER_BINARY,
        },
      };
    case 'http':
      return { kind: 'http', http: { url: env.MODEL_SERVER_URL as string } };
    case 'sagemaker':
      return {
        kind: 'sagemaker',
        sagemaker: sageMakerSection(env),
      };
  }
}
