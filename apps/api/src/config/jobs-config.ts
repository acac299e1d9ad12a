import { join } from 'node:path';
import type { Env } from './env.schema';

export interface JobsConfig {
  /** Pool size of this process; 0 runs no jobs here. */
  readonly workers: number;
  readonly maxAttempts: number;
  readonly leaseSeconds: number;
  readonly pollMs: number;
  readonly windowSeconds: number;
  readonly windowRetries: number;
  readonly maxAudioSeconds: number;
  readonly deleteAudioOnComplete: boolean;
  readonly resultTtlHours: number;
  readonly purgeIntervalMinutes: number;
}

export type JobStoreSection =
  | { readonly kind: 'sqlite'; readonly sqlite: { readonly path: string } }
  | {
      readonly kind: 'dynamodb';
      readonly dynamodb: { readonly table: string; readonly region: string; readonly endpoint?: string };
    };

export type BlobStoreSection =
  | { readonly kind: 'local'; readonly local: { readonly dir: string } }
  | {
      readonly kind: 's3';
      readonly s3: {
        readonly bucket: string;
        readonly prefix: string;
        readonly region: string;
        readonly endpoint?: string;
        /** Local S3 stand-ins (s3rver) only understand path-style addressing. */
        readonly forcePathStyle: boolean;
      };
    };

export interface StorageConfig {
  readonly jobStore: JobStoreSection;
  readonly blobStore: BlobStoreSection;
}

export interface WebhookConfig {
  /** Undefined: jobs with a callback_url are refused. */
  readonly secret?: string;
  readonly allowHosts: readonly string[];
  readonly denyHosts: readonly string[];
  readonly maxAttempts: number;
  readonly backoffSeconds: number;
  readonly timeoutSeconds: number;
}

export function jobsConfig(env: Env): JobsConfig {
  return {
    workers: env.JOB_WORKERS,
    maxAttempts: env.JOB_MAX_ATTEMPTS,
    leaseSeconds: env.JOB_LEASE_SECONDS,
    pollMs: env.JOB_POLL_MS,
    windowSeconds: env.WINDOW_SECONDS,
    windowRetries: env.WINDOW_RETRIES,
    maxAudioSeconds: env.MAX_JOB_AUDIO_SECONDS,
    deleteAudioOnComplete: env.DELETE_AUDIO_ON_COMPLETE,
    resultTtlHours: env.RESULT_TTL_HOURS,
    purgeIntervalMinutes: env.PURGE_INTERVAL_MINUTES,
  };
}

/** Only the adapter in use gets a section; the schema already checked its required keys. */
export function storageConfig(env: Env): StorageConfig {
  const jobStore = jobStoreSection(env);
  const blobStore: BlobStoreSection =
    env.BLOB_STORE === 'local'
      ? { kind: 'local', local: { dir: join(env.DATA_DIR, 'blobs') } }
      : {
          kind: 's3',
          s3: {
            bucket: env.BLOB_BUCKET as string,
            prefix: env.BLOB_PREFIX,
            region: env.AWS_REGION as string,
            forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3),
            ...(env.AWS_ENDPOINT_URL_S3 ? { endpoint: env.AWS_ENDPOINT_URL_S3 } : {}),
          },
        };
  return { jobStore, blobStore };
}

/** Also used alone by `npm run apikey`, which needs only the store (API keys live beside the jobs). */
export function jobStoreSection(
  env: Pick<Env, 'JOB_STORE' | 'DATA_DIR' | 'JOBS_TABLE' | 'AWS_REGION' | 'AWS_ENDPOINT_URL_DYNAMODB'>,
): JobStoreSection {
  return env.JOB_STORE === 'sqlite'
    ? { kind: 'sqlite', sqlite: { path: join(env.DATA_DIR, 'jobs.sqlite') } }
    : {
        kind: 'dynamodb',
        dynamodb: {
          table: env.JOBS_TABLE as string,
          region: env.AWS_REGION as string,
          ...(env.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: env.AWS_ENDPOINT_URL_DYNAMODB } : {}),
        },
      };
}

export function webhookConfig(env: Env): WebhookConfig {
  return {
    secret: env.WEBHOOK_SECRET,
    allowHosts: list(env.WEBHOOK_ALLOW_HOSTS),
    denyHosts: list(env.WEBHOOK_DENY_HOSTS),
    maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
    backoffSeconds: env.WEBHOOK_BACKOFF_SECONDS,
    timeoutSeconds: env.WEBHOOK_TIMEOUT_SECONDS,
  };
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
}
