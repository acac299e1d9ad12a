import { DomainError } from '../../common/domain-error';
import type { SageMakerSection } from '../../config/app-config';

/** InvokeEndpoint's request payload limit (6 MiB). */
export const REALTIME_PAYLOAD_LIMIT = 6 * 1024 * 1024;
/** InvokeEndpointAsync's input limit (1 GB). */
export const ASYNC_PAYLOAD_LIMIT = 1_000_000_000;

export type InvocationRoute = 'realtime' | 'async';

/**
 * Real-time when the payload fits and a real-time endpoint exists, else async when configured; otherwise a
 * FILE_TOO_LARGE that says which setting would have made the call possible.
 */
export function chooseRoute(section: Pick<SageMakerSection, 'mode' | 'realtimeEndpoint' | 'async'>, payloadBytes: number): InvocationRoute {
  const fits = payloadBytes <= REALTIME_PAYLOAD_LIMIT;
  if (section.realtimeEndpoint && fits) return 'realtime';
  const details = { payload_bytes: payloadBytes, realtime_limit_bytes: REALTIME_PAYLOAD_LIMIT };
  if (section.async) {
    if (payloadBytes <= ASYNC_PAYLOAD_LIMIT) return 'async';
    throw new DomainError('FILE_TOO_LARGE', `The audio is ${mib(payloadBytes)} as FLAC, above SageMaker's 1 GB async limit.`, details);
  }
  const why =
    section.mode === 'realtime'
      ? 'SAGEMAKER_MODE=realtime has no async route'
      : 'no async route is configured (set SAGEMAKER_ASYNC_BUCKET and SAGEMAKER_ASYNC_ENDPOINT_NAME)';
  throw new DomainError(
    'FILE_TOO_LARGE',
    `The audio is ${mib(payloadBytes)} as FLAC, above SageMaker's 6 MiB real-time limit, and ${why}. Send shorter audio or submit it as a job.`,
    details,
  );
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
