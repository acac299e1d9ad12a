import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { HeaderObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ERROR_CODES, type ErrorCode } from '@speech/contracts';
import { OpenAiErrorSchema, ProblemDetailsSchema } from './schemas/error.schemas';

/**
 * Error answers in the document, from the error codes a route can really give. Status and title come from the one
 * table in libs/contracts, so a code cannot be documented under the wrong status. Each status lists its codes as an
 * enum on `code`, so the response test fails when a route answers a code its document does not name.
 */
export const PROBLEM_JSON = 'application/problem+json';

/** Native routes: RFC 7807 problem+json. */
export function ApiProblems(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  return errorResponses(codes, (status) => ({
    [PROBLEM_JSON]: { schema: { allOf: [{ $ref: getSchemaPath(ProblemDetailsSchema) }, codeEnum(status)] } },
  }));
}

/** The OpenAI-compatible `/v1` routes: OpenAI's `{ error: { message, type, param, code } }`. */
export function ApiOpenAiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  return errorResponses(codes, (status) => ({
    'application/json': {
      schema: { allOf: [{ $ref: getSchemaPath(OpenAiErrorSchema) }, { type: 'object', properties: { error: codeEnum(status) } }] },
    },
  }));
}

type Content = Record<string, { schema: Record<string, unknown> }>;

function errorResponses(codes: ErrorCode[], content: (codes: ErrorCode[]) => Content): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const decorators = [...byStatus.entries()].map(([status, group]) =>
    ApiResponse({
      status,
      description: group.map((code) => `${code}: ${ERROR_CODES[code].message}`).join(' | '),
      content: content(group),
      ...(RETRY_STATUSES.has(status) ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
    }),
  );
  return applyDecorators(...decorators);
}

function codeEnum(codes: ErrorCode[]): Record<string, unknown> {
  return { type: 'object', properties: { code: { type: 'string', enum: [...codes].sort() } } };
}

/** Statuses whose answers may carry Retry-After (rate limits, busy engine or decoder, draining, full disk). */
const RETRY_STATUSES = new Set([429, 503, 507]);
const RETRY_AFTER: HeaderObject = { description: 'Seconds to wait before retrying, when the server knows.', schema: { type: 'integer' } };

// What routes share. Each list names only codes the code paths behind it can produce.

/** Any route: a bug is still answered in the error model. */
export const ANY_ROUTE: ErrorCode[] = ['INTERNAL_ERROR'];
/** Every route but the health probes: Host allow-list (keys optional), per-address and per-key rate limits, draining. */
export const SERVED_ROUTE: ErrorCode[] = [...ANY_ROUTE, 'HOST_NOT_ALLOWED', 'RATE_LIMITED', 'SHUTTING_DOWN'];
/** A route that needs a key when API_KEYS_REQUIRED=true, and a scope. */
export const KEYED_ROUTE: ErrorCode[] = ['UNAUTHORIZED', 'FORBIDDEN'];
/** A route that reads the job store or the blob store. */
export const STORE_READ: ErrorCode[] = ['STORAGE_UNAVAILABLE'];
/** A route that writes them. */
export const STORE_WRITE: ErrorCode[] = [...STORE_READ, 'INSUFFICIENT_STORAGE'];
/** A multipart audio upload, before any transcription: the upload interceptor, the form parser and the sniffer. */
export const AUDIO_UPLOAD: ErrorCode[] = [
  'MISSING_FILE',
  'EMPTY_FILE',
  'INVALID_OPTION',
  'REQUEST_TIMEOUT',
  'FILE_TOO_LARGE',
  'UNSUPPORTED_MEDIA',
  'INSUFFICIENT_STORAGE',
];
/** Transcribing while the client waits: decoding, the engine, and the per-key slots for synchronous requests. */
export const SYNC_TRANSCRIPTION: ErrorCode[] = [
  'UNDECODABLE_AUDIO',
  'AUDIO_TOO_LONG',
  'TOO_MANY_CONCURRENT_REQUESTS',
  'DECODE_BUSY',
  'ENGINE_BUSY',
  'MODEL_UNAVAILABLE',
  'ENGINE_FAILED',
  'ENGINE_TIMEOUT',
];
/** Creating a job: the callback URL check, Idempotency-Key replays, and the per-key queue caps. */
export const JOB_CREATION: ErrorCode[] = ['CALLBACK_URL_REJECTED', 'IDEMPOTENCY_CONFLICT', 'JOB_QUEUE_FULL', 'AUDIO_BACKLOG_FULL', ...STORE_WRITE];
