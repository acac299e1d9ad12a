import { z } from 'zod';
import { bool } from './env-primitives';

/** Variables of API keys (auth/). Where the keys are stored is the job store's setting (storage-config.ts). */
export const authEnvShape = {
  /** Refuse requests without an API key. Unset: required when NODE_ENV=production, optional otherwise. */
  API_KEYS_REQUIRED: bool.optional(),
  /** Seconds a key lookup is cached per process; a revoked key stops working within this time. 0 = no cache. */
  API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).default(30),
};

export interface AuthConfig {
  /** False: a request without a key runs as the anonymous owner (transcribe + jobs:read). */
  readonly keysRequired: boolean;
  readonly cacheSeconds: number;
}

export function authConfig(env: {
  NODE_ENV: string;
  API_KEYS_REQUIRED?: boolean;
  API_KEY_CACHE_SECONDS: number;
}): AuthConfig {
  return {
    // Safe by default where it matters: a production deployment never runs open by omission.
    keysRequired: env.API_KEYS_REQUIRED ?? env.NODE_ENV === 'production',
    cacheSeconds: env.API_KEY_CACHE_SECONDS,
  };
}
