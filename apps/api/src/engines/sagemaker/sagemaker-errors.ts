import { DomainError, isDomainError } from '../../common/domain-error';
import { remoteError } from '../remote/remote-result';

/** What a client should wait after SageMaker kept throttling through every retry, when it named no time itself. */
export const DEFAULT_BUSY_RETRY_SECONDS = 5;

const THROTTLING = ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown'];
const ACCESS = ['AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'CredentialsProviderError'];
const TIMEOUTS = ['TimeoutError', 'RequestTimeout', 'RequestTimeoutException'];
const NETWORK = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ETIMEDOUT'];

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  OriginalStatusCode?: number;
  OriginalMessage?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/**
 * Any failure of an AWS SDK call (SageMaker runtime or S3) → a DomainError with a stable code. The caller checks its
 * abort signal first: an aborted call rejects with the signal's reason, not with whatever the SDK threw.
 */
export function sageMakerError(error: unknown): DomainError {
  if (isDomainError(error)) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const name = e.name ?? 'Error';
  const message = e.message ?? String(error);
  const status = e.$metadata?.httpStatusCode;

  if (name === 'ModelError') return modelError(e);
  if (name === 'ModelNotReadyException') {
    return new DomainError('MODEL_UNAVAILABLE', `The SageMaker endpoint's model is not ready (still loading, or scaling out): ${message}`);
  }
  if (THROTTLING.includes(name) || name === 'ServiceUnavailable' || (status === 429 && name !== 'ModelNotReadyException')) {
    return new DomainError('ENGINE_BUSY', `SageMaker is throttling or briefly unavailable (${name}) after every retry; retry later.`, {}, retryAfter(e));
  }
  if (name === 'ValidationError' || status === 413) return validationError(message, status);
  if (TIMEOUTS.includes(name) || e.code === 'ETIMEDOUT') {
    return new DomainError('ENGINE_TIMEOUT', `SageMaker did not answer in time (${message}).`);
  }
  if (ACCESS.includes(name)) {
    return new DomainError('ENGINE_FAILED', `The API's AWS credentials were refused or missing (${name}: ${message}); check its IAM role.`);
  }
  if (name === 'NoSuchBucket') return new DomainError('ENGINE_FAILED', `The async bucket does not exist: ${message}`);
  if (e.code && NETWORK.includes(e.code)) {
    return new DomainError('ENGINE_FAILED', `SageMaker could not be reached (${e.code}).`);
  }
  return new DomainError('ENGINE_FAILED', `SageMaker failed: ${name}: ${message}`.slice(0, 500));
}

/**
 * ModelError is the container's own non-2xx answer relayed by SageMaker: OriginalMessage holds our container's
 * problem+json, so its stable code passes through unchanged (remoteError decides which codes may).
 */
function modelError(e: SdkErrorShape): DomainError {
  const original = e.OriginalMessage ?? '';
  if (looksLikeProblem(original)) return remoteError(e.OriginalStatusCode ?? 500, original);
  // SageMaker's 60 s cut answers "Your invocation timed out while waiting for a response from container …".
  if (/timed out/i.test(`${e.message ?? ''} ${original}`)) {
    return new DomainError('ENGINE_TIMEOUT', 'The model container did not answer within SageMaker\'s 60 s real-time limit; use async for long audio.');
  }
  const said = (original || e.message || '').trim().split('\n')[0]?.slice(0, 300);
  return new DomainError('ENGINE_FAILED', `The model container answered ${e.OriginalStatusCode ?? 'an error'}${said ? `: ${said}` : ''}.`);
}

/** The content of an async call's failure object → the same codes as a real-time ModelError. */
export function asyncFailureError(body: string): DomainError {
  if (looksLikeProblem(body)) {
    const status = Number((JSON.parse(body) as { status?: unknown }).status);
    return remoteError(Number.isFinite(status) ? status : 500, body);
  }
  if (/timed? ?out|timeout/i.test(body)) return new DomainError('ENGINE_TIMEOUT', `The async inference ran out of time: ${firstLine(body)}`);
  return new DomainError('ENGINE_FAILED', `The async inference failed${body.trim() ? `: ${firstLine(body)}` : '.'}`);
}

function validationError(message: string, status: number | undefined): DomainError {
  if (status === 413 || /oversize|too large|content length|payload size|exceeds?.*(size|limit)/i.test(message)) {
    return new DomainError('FILE_TOO_LARGE', `SageMaker refused the payload as too large: ${message}`);
  }
  if (/endpoint .*not found|could not find endpoint/i.test(message)) {
    return new DomainError('MODEL_UNAVAILABLE', `The SageMaker endpoint does not exist: ${message}`);
  }
  if (/custom ?attributes/i.test(message)) return new DomainError('INVALID_OPTION', `SageMaker refused the options: ${message}`);
  // Anything else is a request this adapter built wrongly or an endpoint of the wrong kind: not the client's fault.
  return new DomainError('ENGINE_FAILED', `SageMaker rejected the call: ${message}`);
}

function looksLikeProblem(text: string): boolean {
  try {
    const value = JSON.parse(text) as { code?: unknown };
    return typeof value === 'object' && value !== null && typeof value.code === 'string';
  } catch {
    return false;
  }
}

function retryAfter(e: SdkErrorShape): number {
  const headers = e.$response?.headers ?? {};
  const raw = headers['retry-after'] ?? headers['Retry-After'];
  const seconds = raw !== undefined ? Number(raw) : Number.NaN;
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : DEFAULT_BUSY_RETRY_SECONDS;
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 300);
}
