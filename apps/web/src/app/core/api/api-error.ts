import { HttpErrorResponse } from '@angular/common/http';
import { type ErrorCode, isErrorCode } from '@speech/contracts';
import type { OpenAiErrorDetail, ProblemDetails } from './generated/api.generated';

/** What the console knows about a failed API call: the stable code (when the API sent one) and its details. */
export interface ApiFailure {
  readonly code?: ErrorCode;
  /** HTTP status; 0 when the API could not be reached. */
  readonly status: number;
  /** The server's explanation (English), e.g. which formats are accepted. */
  readonly detail?: string;
  readonly requestId?: string;
}

/** Reads problem+json (native routes), OpenAI's `{error:{code,message}}` (/v1) or a job's `{code,message}`. */
export function toApiFailure(error: unknown): ApiFailure {
  if (!(error instanceof HttpErrorResponse)) {
    return { code: 'INTERNAL_ERROR', status: 0, detail: error instanceof Error ? error.message : undefined };
  }
  const body = parseBody(error.error);
  const requestId = stringOrUndefined(body?.request_id) ?? error.headers?.get('x-request-id') ?? undefined;
  const nested = body?.['error'] as Partial<OpenAiErrorDetail> | undefined;
  const code = body?.code ?? nested?.code;
  return {
    code: isErrorCode(code) ? code : undefined,
    status: error.status,
    detail: stringOrUndefined(body?.detail) ?? stringOrUndefined(nested?.message),
    requestId,
  };
}

function parseBody(raw: unknown): Partial<ProblemDetails> | undefined {
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<ProblemDetails>) : undefined;
    } catch {
      return undefined;
    }
  }
  return typeof raw === 'object' && raw !== null ? (raw as Partial<ProblemDetails>) : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
