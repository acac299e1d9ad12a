import { z } from 'zod';
import { jobsEnvShape, refineJobsEnv } from './jobs-env.schema';
import { jobStoreSection, type JobStoreSection } from './jobs-config';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Variables of API keys (auth/). */
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

/**
 * Only the storage variables, validated as the API validates them, for `npm run apikey` (an operator may run it
 * from a laptop against the DynamoDB table, without any of the API's engine settings).
 */
const storageEnvSchema = z
  .object({
    JOB_STORE: jobsEnvShape.JOB_STORE,
    DATA_DIR: jobsEnvShape.DATA_DIR,
    JOBS_TABLE: jobsEnvShape.JOBS_TABLE,
    AWS_REGION: z.string().min(1).optional(),
    AWS_ENDPOINT_URL_DYNAMODB: jobsEnvShape.AWS_ENDPOINT_URL_DYNAMODB,
  })
  .superRefine((env, ctx) => refineJobsEnv({ ...env, BLOB_STORE: 'local' } as Parameters<typeof refineJobsEnv>[0], ctx));

/** The job store section (which also holds the API keys) from the environment; throws a readable list of problems. */
export function loadKeyStoreSection(source: NodeJS.ProcessEnv = process.env): JobStoreSection {
  const parsed = storageEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`);
    throw new Error(`Invalid storage configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return jobStoreSection(parsed.data);
}
