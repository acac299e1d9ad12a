import { z } from 'zod';
import { optionalName, optionalUrl, positiveInt } from './env-primitives';

/**
 * Variables of the `sagemaker` engine (besides SAGEMAKER_ENDPOINT_NAME and AWS_REGION, the original two).
 * A SageMaker endpoint is either real-time or async, never both: `auto` therefore needs a second, async endpoint
 * for payloads above the 6 MiB real-time limit.
 */
export const sageMakerEnvShape = {
  /** realtime: InvokeEndpoint only · async: InvokeEndpointAsync through S3 only · auto: real-time when it fits, else async. */
  SAGEMAKER_MODE: z.enum(['realtime', 'async', 'auto']).default('auto'),
  /** The async endpoint: in `auto` the route for large payloads; in `async` defaults to SAGEMAKER_ENDPOINT_NAME. */
  SAGEMAKER_ASYNC_ENDPOINT_NAME: optionalName,
  /** Bucket for async inputs (`<prefix>/input/<id>.flac`); the endpoint's own config names where outputs go. */
  SAGEMAKER_ASYNC_BUCKET: optionalName,
  SAGEMAKER_ASYNC_PREFIX: z.string().default('sagemaker-async'),
  /** InvocationTimeoutSeconds of an async call: how long the container may work on it (SageMaker allows 1–3600). */
  SAGEMAKER_ASYNC_TIMEOUT_SECONDS: positiveInt.max(3600).default(3600),
  /** Attempts per call, first included, for throttling and transient faults (the AWS SDK's standard retry strategy). */
  SAGEMAKER_MAX_ATTEMPTS: positiveInt.max(10).default(4),
  /** The AWS SDK's own name for a SageMaker runtime endpoint override (a local stand-in in tests). */
  AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: optionalUrl,
};

/** SAGEMAKER_ENDPOINT_NAME, AWS_REGION and AWS_ENDPOINT_URL_S3 are declared with the variables they share (env.schema.ts). */
export type SageMakerEnv = z.infer<z.ZodObject<typeof sageMakerEnvShape>> & {
  SAGEMAKER_ENDPOINT_NAME?: string;
  AWS_REGION?: string;
  AWS_ENDPOINT_URL_S3?: string;
};

/** Checks that apply only when ENGINE=sagemaker. */
export function refineSageMakerEnv(env: SageMakerEnv, ctx: z.RefinementCtx): void {
  if (env.SAGEMAKER_MODE === 'async' && !env.SAGEMAKER_ASYNC_BUCKET) {
    ctx.addIssue({ code: 'custom', path: ['SAGEMAKER_ASYNC_BUCKET'], message: 'is required when SAGEMAKER_MODE=async' });
  }
  if (env.SAGEMAKER_MODE === 'auto' && Boolean(env.SAGEMAKER_ASYNC_BUCKET) !== Boolean(env.SAGEMAKER_ASYNC_ENDPOINT_NAME)) {
    const missing = env.SAGEMAKER_ASYNC_BUCKET ? 'SAGEMAKER_ASYNC_ENDPOINT_NAME' : 'SAGEMAKER_ASYNC_BUCKET';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: 'is required for the async route of SAGEMAKER_MODE=auto (set both SAGEMAKER_ASYNC_BUCKET and SAGEMAKER_ASYNC_ENDPOINT_NAME, or neither)',
    });
  }
}

export interface SageMakerAsyncSection {
  readonly endpointName: string;
  readonly bucket: string;
  /** Key prefix without a trailing slash; may be empty. */
  readonly prefix: string;
  readonly invocationTimeoutSeconds: number;
}

export interface SageMakerSection {
  readonly region: string;
  readonly mode: 'realtime' | 'async' | 'auto';
  /** The real-time endpoint; absent in async mode. */
  readonly realtimeEndpoint?: string;
  /** The async route; present in async mode, and in auto mode when its bucket and endpoint are set. */
  readonly async?: SageMakerAsyncSection;
  readonly maxAttempts: number;
  readonly runtimeEndpointUrl?: string;
  readonly s3EndpointUrl?: string;
  /** Local S3 stand-ins (s3rver) only understand path-style addressing. */
  readonly forcePathStyle: boolean;
}

/** Only called for ENGINE=sagemaker; the schema already checked the keys each mode needs. */
export function sageMakerSection(env: SageMakerEnv): SageMakerSection {
  const mode = env.SAGEMAKER_MODE;
  const endpointName = env.SAGEMAKER_ENDPOINT_NAME as string;
  const asyncEndpoint = mode === 'async' ? (env.SAGEMAKER_ASYNC_ENDPOINT_NAME ?? endpointName) : env.SAGEMAKER_ASYNC_ENDPOINT_NAME;
  const bucket = mode === 'realtime' ? undefined : env.SAGEMAKER_ASYNC_BUCKET;
  return {
    region: env.AWS_REGION as string,
    mode,
    ...(mode !== 'async' ? { realtimeEndpoint: endpointName } : {}),
    ...(bucket && asyncEndpoint
      ? {
          async: {
            endpointName: asyncEndpoint,
            bucket,
            prefix: env.SAGEMAKER_ASYNC_PREFIX.replace(/^\/+|\/+$/g, ''),
            invocationTimeoutSeconds: env.SAGEMAKER_ASYNC_TIMEOUT_SECONDS,
          },
        }
      : {}),
    maxAttempts: env.SAGEMAKER_MAX_ATTEMPTS,
    ...(env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME ? { runtimeEndpointUrl: env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME } : {}),
    ...(env.AWS_ENDPOINT_URL_S3 ? { s3EndpointUrl: env.AWS_ENDPOINT_URL_S3 } : {}),
    forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3),
  };
}
