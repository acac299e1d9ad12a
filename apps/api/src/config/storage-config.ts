import { join, resolve } from 'node:path';
import { z } from 'zod';
import { describeIssues, optionalUrl } from './env-primitives';

/** Variables of the storage adapters: where jobs (and API keys) live, and where audio and results live. */
export const storageEnvShape = {
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
};

/** AWS_REGION is shared with the sagemaker engine, so env.schema.ts declares it; storage reads it. */
export type StorageEnv = z.infer<z.ZodObject<typeof storageEnvShape>> & { AWS_REGION?: string };

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

/** Keys required only for the adapter in use. */
export function refineStorageEnv(env: Pick<StorageEnv, 'JOB_STORE' | 'JOBS_TABLE' | 'BLOB_STORE' | 'BLOB_BUCKET' | 'AWS_REGION'>, ctx: z.RefinementCtx): void {
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

/** Only the adapter in use gets a section; the schema already checked its required keys. */
export function storageConfig(env: StorageEnv): StorageConfig {
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
  env: Pick<StorageEnv, 'JOB_STORE' | 'DATA_DIR' | 'JOBS_TABLE' | 'AWS_REGION' | 'AWS_ENDPOINT_URL_DYNAMODB'>,
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

/**
 * Only the job-store variables, validated as the API validates them, for `npm run apikey` (an operator may run it
 * from a laptop against the DynamoDB table, without any of the API's engine settings).
 */
const keyStoreEnvSchema = z
  .object({
    JOB_STORE: storageEnvShape.JOB_STORE,
    DATA_DIR: storageEnvShape.DATA_DIR,
    JOBS_TABLE: storageEnvShape.JOBS_TABLE,
    AWS_REGION: z.string().min(1).optional(),
    AWS_ENDPOINT_URL_DYNAMODB: storageEnvShape.AWS_ENDPOINT_URL_DYNAMODB,
  })
  .superRefine((env, ctx) => refineStorageEnv({ ...env, BLOB_STORE: 'local' }, ctx));

/** The job store section (which also holds the API keys) from the environment; throws a readable list of problems. */
export function loadKeyStoreSection(source: NodeJS.ProcessEnv = process.env): JobStoreSection {
  const parsed = keyStoreEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid storage configuration:\n  - ${describeIssues(parsed.error).join('\n  - ')}`);
  }
  return jobStoreSection(parsed.data);
}
