import { z } from 'zod';
import { audioEnvShape } from './audio-config';
import { authEnvShape } from './auth-config';
import { diarizationEnvShape } from './diarization-config';
import { edgeEnvShape } from './edge-config';
import { engineEnvShape, refineEngineEnv } from './engine-config';
import { fairShareEnvShape, refineFairShareEnv } from './fair-share-config';
import { jobsEnvShape } from './jobs-config';
import { limitsEnvShape, refineCorsOrigins } from './limits-config';
import { qualityEnvShape } from './quality-config';
import { realtimeEnvShape } from './realtime-config';
import { sageMakerEnvShape } from './sagemaker-config';
import { serverEnvShape } from './server-config';
import { refineStorageEnv, storageEnvShape } from './storage-config';
import { vadEnvShape } from './vad-config';
import { webhooksEnvShape } from './webhooks-config';

/**
 * Every environment variable the API reads, with its default, composed from each feature's shape (its own
 * `*-config.ts`). Documented in the README.
 */
export const envSchema = z
  .object({
    ...serverEnvShape,
    ...audioEnvShape,
    ...engineEnvShape,
    /** Shared by the sagemaker engine and the AWS storage adapters. */
    AWS_REGION: z.string().min(1).optional(),
    ...sageMakerEnvShape,
    ...storageEnvShape,
    ...jobsEnvShape,
    ...webhooksEnvShape,
    ...authEnvShape,
    ...limitsEnvShape,
    ...edgeEnvShape,
    ...fairShareEnvShape,
    ...diarizationEnvShape,
    ...qualityEnvShape,
    ...realtimeEnvShape,
    ...vadEnvShape,
  })
  .superRefine((env, ctx) => {
    refineStorageEnv(env, ctx);
    refineCorsOrigins(env, ctx);
    refineFairShareEnv(env, ctx);
    refineEngineEnv(env, ctx);
  });

export type Env = z.infer<typeof envSchema>;
