import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
const optionalUrl = z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional());
const optionalName = z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional());

/**
 * Variables of the `sagemaker` engine (besides SAGEMAKER_ENDPOINT_NAME and AWS_REGION, which the seed named).
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

type SageMakerEnv = z.infer<z.ZodObject<typeof sageMakerEnvShape>>;

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
