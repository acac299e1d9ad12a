import { ERROR_CODES, type ErrorCode } from '@speech/contracts';

/**
 * The only error type the service layer throws. It carries a stable code; the HTTP layer maps it
 * to a status and to problem+json (native routes) or OpenAI's error shape (/v1).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    /** Extra facts for the client (e.g. `limit_seconds`), copied into the error body. */
    readonly details: Record<string, unknown> = {},
    /** Seconds a client should wait before retrying (sets Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
