import type { Env } from './env.schema';

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
export function sageMakerSection(env: Env): SageMakerSection {
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
