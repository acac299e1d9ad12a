import { DISK_FULL_RETRY_AFTER_SECONDS, isDiskFull } from '../../common/disk-full';
import { DomainError, isDomainError } from '../../common/domain-error';

/** What a client should wait before retrying when the store itself gave no hint. */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/** Socket-level failures: the store's host cannot be reached, or the connection broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN',
  'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
]);
/** Names the AWS SDK gives throttling and brief unavailability once its own retries are spent. */
const AWS_TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'Throttling', 'RequestLimitExceeded',
  'TooManyRequestsException', 'SlowDown', 'ServiceUnavailable', 'InternalServerError', 'InternalError',
  'InternalFailure', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError', 'TransactionConflictException',
]);
/**
 * Local file systems (and network mounts) that fail underneath a directory store. Not EMFILE/ENFILE (most likely a
 * descriptor leak of ours) nor SQLITE_READONLY (a misconfigured DATA_DIR): those stay internal errors with a stack.
 */
const FILE_SYSTEM_UNAVAILABLE = new Set(['EIO', 'EROFS', 'ESTALE', 'ENOTCONN', 'EBUSY']);
/** SQLite result codes (extended ones start with these) that mean "the file cannot be used right now". */
const SQLITE_UNAVAILABLE = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_PROTOCOL'];

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
  cause?: unknown;
}

/**
 * The one place that decides whether a job-store or blob-store failure is the store's condition rather than a bug:
 * unreachable or failing (network errors, 5xx, throttling after the SDK's retries, SQLite busy/I-O errors) →
 * STORAGE_UNAVAILABLE (503, Retry-After); out of space (ENOSPC, SQLITE_FULL) → INSUFFICIENT_STORAGE (507).
 * Anything else is left alone (undefined) and stays an internal error.
 */
export function storageFault(error: unknown, store: string): DomainError | undefined {
  if (isDomainError(error) || typeof error !== 'object' || error === null) return undefined;
  const e = error as ErrorShape;
  const code = e.code ?? '';
  if (isDiskFull(error) || code === 'SQLITE_FULL') {
    return new DomainError('INSUFFICIENT_STORAGE', `The ${store} has no space left; retry later.`, { store }, DISK_FULL_RETRY_AFTER_SECONDS);
  }
  if (isUnavailable(e)) {
    return new DomainError(
      'STORAGE_UNAVAILABLE',
      `The ${store} is unavailable (${describe(e)}); retry later.`,
      { store },
      retryAfter(e),
    );
  }
  const cause = e.cause;
  return cause && cause !== error ? storageFault(cause, store) : undefined;
}

/** Runs one store call, turning the store's own failures into the error model's codes. */
export async function mapStorageErrors<T>(store: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw storageFault(error, store) ?? error;
  }
}

export function isStorageFault(error: unknown): error is DomainError {
  return isDomainError(error) && (error.code === 'STORAGE_UNAVAILABLE' || error.code === 'INSUFFICIENT_STORAGE');
}

function isUnavailable(e: ErrorShape): boolean {
  const code = e.code ?? '';
  if (NETWORK_CODES.has(code) || FILE_SYSTEM_UNAVAILABLE.has(code)) return true;
  if (SQLITE_UNAVAILABLE.some((prefix) => code.startsWith(prefix))) return true;
  if (e.name && AWS_TRANSIENT_NAMES.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  return e.$fault === 'server';
}

/** For logs and the client's message: the error's kind, never its payload. */
function describe(e: ErrorShape): string {
  const status = e.$metadata?.httpStatusCode;
  return [e.code || e.name, status ? `HTTP ${status}` : undefined].filter(Boolean).join(', ') || 'no answer';
}

function retryAfter(e: ErrorShape): number {
  const raw = e.$response?.headers?.['retry-after'];
  const seconds = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : STORAGE_RETRY_AFTER_SECONDS;
}
