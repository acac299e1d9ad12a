import type { ErrorCode } from './error-codes';

/** RFC 7807 problem+json body used by the native routes and the model container. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  request_id?: string;
  /** Extra, code-specific facts (e.g. `limit_seconds`, `accepted`). */
  [extension: string]: unknown;
}

/** OpenAI's error envelope, used on the `/v1` routes so the official SDKs parse it. */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: ErrorCode;
  };
}
