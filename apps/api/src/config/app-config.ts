import { audioConfig, type AudioConfig, uploadConfig, type UploadConfig } from './audio-config';
import { type AuthConfig, authConfig } from './auth-config';
import { edgeConfig } from './edge-config';
import { dispatchConfig, type DispatchConfig, engineSection, type EngineSection } from './engine-config';
import { diarizationConfig, type DiarizationConfig } from './diarization-config';
import { describeIssues } from './env-primitives';
import { envSchema } from './env.schema';
import { type FairShareConfig, fairShareConfig } from './fair-share-config';
import { jobsConfig, type JobsConfig } from './jobs-config';
import { qualityConfig, type QualityConfig } from './quality-config';
import { type LimitsConfig, limitsConfig } from './limits-config';
import { realtimeConfig, type RealtimeConfig } from './realtime-config';
import { serverConfig, type ServerConfig } from './server-config';
import { storageConfig, type StorageConfig } from './storage-config';
import { vadConfig, type VadConfig } from './vad-config';
import { webhookConfig, type WebhookConfig } from './webhooks-config';

export type { AudioConfig, UploadConfig } from './audio-config';
export type { AuthConfig } from './auth-config';
export type { DiarizationConfig } from './diarization-config';
export type { DispatchConfig, EngineSection, LocalEngineSection } from './engine-config';
export type { FairShareConfig } from './fair-share-config';
export type { JobsConfig } from './jobs-config';
export type { LimitsConfig } from './limits-config';
export type { QualityConfig } from './quality-config';
export type { SageMakerAsyncSection, SageMakerSection } from './sagemaker-config';
export type { RealtimeConfig } from './realtime-config';
export type { ServerConfig } from './server-config';
export type { BlobStoreSection, JobStoreSection, StorageConfig } from './storage-config';
export type { VadConfig } from './vad-config';
export type { WebhookConfig } from './webhooks-config';

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
    readonly diarization: DiarizationConfig,
    readonly quality: QualityConfig,
    readonly realtime: RealtimeConfig,
    readonly vad: VadConfig,
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
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error));
  const env = parsed.data;
  return new AppConfig(
    serverConfig(env, edgeConfig(env)),
    uploadConfig(env),
    audioConfig(env),
    dispatchConfig(env),
    engineSection(env),
    jobsConfig(env),
    storageConfig(env),
    webhookConfig(env),
    authConfig(env),
    limitsConfig(env),
    fairShareConfig(env),
    diarizationConfig(env),
    qualityConfig(env),
    realtimeConfig(env),
    vadConfig(env),
  );
}
