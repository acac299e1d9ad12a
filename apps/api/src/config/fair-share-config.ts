import { z } from 'zod';

/** Variables of fair sharing between API keys (jobs/fair-share/) and of webhook delivery isolation (jobs/webhooks/). */
export const fairShareEnvShape = {
  /**
   * A running job gives its worker to another key's waiting job at the next window boundary once it has run this
   * long (0 = at every boundary). Each hand-over decodes the job's audio again, so longer slices waste less.
   */
  JOB_FAIR_SLICE_SECONDS: z.coerce.number().min(0).max(86_400).default(120),
  /** Queued jobs one key may have; beyond it POST /api/v1/jobs answers 429 JOB_QUEUE_FULL. 0 = no cap. */
  JOB_MAX_QUEUED_PER_KEY: z.coerce.number().int().min(0).default(100),
  /** Audio hours one key may have queued and running; beyond it 429 AUDIO_BACKLOG_FULL. 0 = no cap. */
  JOB_MAX_AUDIO_HOURS_PER_KEY: z.coerce.number().min(0).default(24),
  /** Synchronous transcriptions one key may have in flight in this process; beyond it 429 TOO_MANY_CONCURRENT_REQUESTS. 0 = no cap. */
  SYNC_MAX_CONCURRENT_PER_KEY: z.coerce.number().int().min(0).default(4),
  /** Webhook deliveries in flight at once in this process. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
  /** Of those, at most this many to one receiver (scheme://host:port), so one slow receiver cannot take them all. */
  WEBHOOK_CONCURRENCY_PER_TARGET: z.coerce.number().int().min(1).max(1000).default(2),
};

export interface FairShareConfig {
  readonly sliceSeconds: number;
  /** 0 = no cap. */
  readonly maxQueuedPerKey: number;
  /** 0 = no cap. */
  readonly maxAudioSecondsPerKey: number;
  /** 0 = no cap. */
  readonly maxSyncPerKey: number;
  readonly webhookConcurrency: number;
  readonly webhookConcurrencyPerTarget: number;
}

type FairShareEnv = z.infer<z.ZodObject<typeof fairShareEnvShape>>;

export function fairShareConfig(env: FairShareEnv): FairShareConfig {
  return {
    sliceSeconds: env.JOB_FAIR_SLICE_SECONDS,
    maxQueuedPerKey: env.JOB_MAX_QUEUED_PER_KEY,
    maxAudioSecondsPerKey: env.JOB_MAX_AUDIO_HOURS_PER_KEY * 3600,
    maxSyncPerKey: env.SYNC_MAX_CONCURRENT_PER_KEY,
    webhookConcurrency: env.WEBHOOK_CONCURRENCY,
    webhookConcurrencyPerTarget: Math.min(env.WEBHOOK_CONCURRENCY_PER_TARGET, env.WEBHOOK_CONCURRENCY),
  };
}

/** A key must always be able to submit one job of the longest allowed audio, or the cap would refuse it forever. */
export function refineFairShareEnv(env: FairShareEnv & { MAX_JOB_AUDIO_SECONDS: number }, ctx: z.RefinementCtx): void {
  const capSeconds = env.JOB_MAX_AUDIO_HOURS_PER_KEY * 3600;
  if (capSeconds > 0 && capSeconds < env.MAX_JOB_AUDIO_SECONDS) {
    ctx.addIssue({
      code: 'custom',
      path: ['JOB_MAX_AUDIO_HOURS_PER_KEY'],
      message: `must be 0 (no cap) or at least MAX_JOB_AUDIO_SECONDS (${env.MAX_JOB_AUDIO_SECONDS} s = ${env.MAX_JOB_AUDIO_SECONDS / 3600} h)`,
    });
  }
}
