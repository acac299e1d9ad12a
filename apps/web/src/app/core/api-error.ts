import type { HttpErrorResponse } from '@angular/common/http';
import { ERROR_CODES, isErrorCode, type ProblemDetails } from '@speech/contracts';

/** The human message for an API error: the server's detail, else the default text for its stable code. */
export function messageForError(error: HttpErrorResponse): string {
  const body = parseBody(error.error);
  if (body && isErrorCode(body.code)) return body.detail || ERROR_CODES[body.code].message;
  if (error.status === 0) return 'The API cannot be reached. Is the server running?';
  return `The request failed (HTTP ${error.status}).`;
}

function parseBody(raw: unknown): Partial<ProblemDetails> | undefined {
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as Partial<ProblemDetails>;
    } catch {
      return undefined;
    }
  }
  return typeof raw === 'object' && raw !== null ? (raw as Partial<ProblemDetails>) : undefined;
}
