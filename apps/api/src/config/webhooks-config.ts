import { z } from 'zod';
import { lowerCaseList, positiveInt, positiveNumber } from './env-primitives';

/** Variables of job webhooks (jobs/webhooks/); their concurrency caps are fair sharing's (fair-share-config.ts). */
export const webhooksEnvShape = {
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

export type WebhooksEnv = z.infer<z.ZodObject<typeof webhooksEnvShape>>;

export interface WebhookConfig {
  /** Undefined: jobs with a callback_url are refused. */
  readonly secret?: string;
  readonly allowHosts: readonly string[];
  readonly denyHosts: readonly string[];
  readonly maxAttempts: number;
  readonly backoffSeconds: number;
  readonly timeoutSeconds: number;
}

export function webhookConfig(env: WebhooksEnv): WebhookConfig {
  return {
    secret: env.WEBHOOK_SECRET,
    allowHosts: lowerCaseList(env.WEBHOOK_ALLOW_HOSTS),
    denyHosts: lowerCaseList(env.WEBHOOK_DENY_HOSTS),
    maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
    backoffSeconds: env.WEBHOOK_BACKOFF_SECONDS,
    timeoutSeconds: env.WEBHOOK_TIMEOUT_SECONDS,
  };
}
