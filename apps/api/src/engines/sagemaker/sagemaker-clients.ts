import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerRuntimeClient, type SageMakerRuntimeClientConfig } from '@aws-sdk/client-sagemaker-runtime';
import type { SageMakerSection } from '../../config/app-config';

export interface SageMakerClients {
  readonly runtime: SageMakerRuntimeClient;
  /** Only with an async route: inputs go up to S3 and outcomes are read back from it. */
  readonly s3?: S3Client;
}

/**
 * SageMaker cuts a real-time invocation at 60 s and answers with a ModelError; the socket limit sits above that so
 * SageMaker's own answer arrives first and a dead connection still ends.
 */
const REALTIME_REQUEST_TIMEOUT_MS = 75_000;
const CONNECTION_TIMEOUT_MS = 5_000;

/**
 * The SDK clients for the configured section. Credentials come from the SDK's default chain (environment, ECS task
 * role, instance profile…) unless given, as tests do for the local stand-ins.
 */
export function createSageMakerClients(section: SageMakerSection, credentials?: SageMakerRuntimeClientConfig['credentials']): SageMakerClients {
  const common = {
    region: section.region,
    // The standard strategy backs off with jitter, retries throttling (ThrottlingException, 429 ModelNotReady) and
    // transient 5xx, and honours the abort signal while it waits.
    maxAttempts: section.maxAttempts,
    retryMode: 'standard',
    ...(credentials ? { credentials } : {}),
  } as const;
  const runtime = new SageMakerRuntimeClient({
    ...common,
    ...(section.runtimeEndpointUrl ? { endpoint: section.runtimeEndpointUrl } : {}),
    requestHandler: { requestTimeout: REALTIME_REQUEST_TIMEOUT_MS, connectionTimeout: CONNECTION_TIMEOUT_MS },
  });
  if (!section.async) return { runtime };
  const s3 = new S3Client({
    ...common,
    ...(section.s3EndpointUrl ? { endpoint: section.s3EndpointUrl } : {}),
    forcePathStyle: section.forcePathStyle,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS },
  });
  return { runtime, s3 };
}
