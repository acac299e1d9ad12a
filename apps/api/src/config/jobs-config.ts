import { z } from 'zod';
import { bool, positiveInt, positiveNumber } from './env-primitives';

/** Variables of async jobs: the worker pool, windowing and retention (storage and webhooks have their own). */
export const jobsEnvShape = {
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
};

export type JobsEnv = z.infer<z.ZodObject<typeof jobsEnvShape>>;

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

export function jobsConfig(env: JobsEnv): JobsConfig {
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
