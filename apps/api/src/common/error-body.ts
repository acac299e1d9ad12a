import { ERROR_CODES, type ErrorCode, type OpenAIErrorBody, type ProblemDetails } from '@speech/contracts';

export interface ErrorDescription {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: Record<string, unknown>;
}

/** RFC 7807 body for the native routes and the model container. */
export function problemBody(error: ErrorDescription, requestId: string | undefined): ProblemDetails {
  const status = ERROR_CODES[error.code].status;
  // Extensions first: a detail named like a standard member (a job's `status`) must not replace the HTTP status.
  return {
    ...error.details,
    type: `urn:speech-platform:error:${error.code}`,
    title: ERROR_CODES[error.code].message,
    status,
    code: error.code,
    detail: error.message,
    ...(requestId ? { request_id: requestId } : {}),
  };
}

/** OpenAI's error envelope for the /v1 routes, so the official SDKs raise the right exception class. */
export function openAiErrorBody(error: ErrorDescription): OpenAIErrorBody {
  const status = ERROR_CODES[error.code].status;
  const param = typeof error.details['param'] === 'string' ? (error.details['param'] as string) : null;
  return { error: { message: error.message, type: openAiErrorType(status), param, code: error.code } };
}

function openAiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}
