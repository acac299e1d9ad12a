import { resolve } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = z.coerce.number().int().positive();
const positiveNumber = z.coerce.number().positive();
const optionalUrl = z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional());

/** Variables of async jobs: storage adapters, worker pool, windowing, retention and webhooks. */
export const jobsEnvShape = {
  /** Where jobs live: an embedded SQLite file (nothing to start) or a DynamoDB table. */
  JOB_STORE: z.enum(['sqlite', 'dynamodb']).default('sqlite'),
  /** Holds jobs.sqlite and, with BLOB_STORE=local, the blobs/ folder. */
  DATA_DIR: z.string().default(resolve('.data')),
  JOBS_TABLE: z.string().min(1).optional(),
  /** Where uploaded audio and results live: a local folder or an S3 bucket. */
  BLOB_STORE: z.enum(['local', 's3']).default('local'),
  BLOB_BUCKET: z.string().min(1).optional(),
  /** Key prefix inside the bucket, e.g. `jobs/`. */
  BLOB_PREFIX: z.string().default(''),
  /** Local stand-ins (s3rver, dynalite, LocalStack) in tests and development. */
  AWS_ENDPOINT_URL_S3: optionalUrl,
  AWS_ENDPOINT_URL_DYNAMODB: optionalUrl,

  /** Jobs this process runs at once; 0 = accept and serve jobs but let other instances run them. */
  JOB_WORKERS: z.coerce.number().int().min(0).default(1),
  /** Starts of one job (restarts after a crash count) before it fails with JOB_ATTEMPTS_EXHAUSTED. */
  JOB_MAX_ATTEMPTS: positiveInt.default(3),
  /** A claim lasts this long unless its worker renews it; then any instance may take the job over. */
  JOB_LEASE_SECONDS: positiveNumber.default(30),
  /** How often idle workers look for queued jobs in the shared store. */
  JOB_POLL_MS: positiveInt.default(1000),
  /** Long audio is cut at silences near every WINDOW_SECONDS. */
  WINDOW_SECONDS: positiveInt.default(300),
  /** Extra tries of one failed window before the job fails. */
  WINDOW_RETRIES: z.coerce.number().int().min(0).default(2),
  /** Longest audio a job accepts (4 h by default). */
  MAX_JOB_AUDIO_SECONDS: positiveInt.default(14_400),

  /** Delete the uploaded audio as soon as a job succeeds (failed/cancelled jobs keep it for a retry until the purge). */
  DELETE_AUDIO_ON_COMPLETE: bool.default(true),
  /** Results (and the audio of failed jobs) are kept this long after a job ends. */
  RESULT_TTL_HOURS: positiveNumber.default(168),
  PURGE_INTERVAL_MINUTES: positiveNumber.default(60),

  /** HMAC-SHA256 key for webhook signatures; jobs with a callback_url are refused without it. */
  WEBHOOK_SECRET: z.string().min(16).optional(),
  /** Hosts, IPs or CIDRs a callback may reach even when private (e.g. `127.0.0.1` in tests). */
  WEBHOOK_ALLOW_HOSTS: z.string().default(''),
  /** Hosts, IPs or CIDRs always refused, on top of private/loopback/link-local ranges. */
  WEBHOOK_DENY_HOSTS: z.string().default(''),
  WEBHOOK_MAX_ATTEMPTS: positiveInt.default(6),
  /** First retry delay; doubles per attempt. */
  WEBHOOK_BACKOFF_SECONDS: positiveNumber.default(10),
  WEBHOOK_TIMEOUT_SECONDS: positiveNumber.default(10),
};

type JobsEnv = z.infer<z.ZodObject<typeof jobsEnvShape>>;

/** Keys required only for the adapter in use. */
export function refineJobsEnv(env: JobsEnv & { AWS_REGION?: string }, ctx: z.RefinementCtx): void {
  if (env.JOB_STORE === 'dynamodb') {
    for (const key of ['JOBS_TABLE', 'AWS_REGION'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when JOB_STORE=dynamodb' });
    }
  }
  if (env.BLOB_STORE === 's3') {
    for (const key of ['BLOB_BUCKET', 'AWS_REGION'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when BLOB_STORE=s3' });
    }
  }
}
