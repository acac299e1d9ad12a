import { ERROR_CODES, isErrorCode } from '@speech/contracts';
import type { ApiFailure } from '../api/api-error';
import type { SseMessage } from '../api/sse-parser';

/**
 * What `POST /v1/models/{id}/download` streams (text/event-stream), one typed value per SSE event:
 *   event: model.download.progress   data: {"id","received_bytes","total_bytes"}
 *   event: model.download.completed  data: {"id","size_bytes","sha256"}
 *   event: model.download.failed     data: {"id","error":{"code","message","request_id"}}
 */
export type ModelDownloadEvent =
  | { readonly type: 'progress'; readonly id: string; readonly receivedBytes: number; readonly totalBytes: number | null }
  | { readonly type: 'completed'; readonly id: string; readonly sizeBytes: number; readonly sha256: string }
  | { readonly type: 'failed'; readonly id: string; readonly failure: ApiFailure };

interface WireError {
  code?: unknown;
  message?: unknown;
  request_id?: unknown;
}

/** One SSE message as a download event; undefined for events this console does not know (newer servers may add some). */
export function toModelDownloadEvent(message: SseMessage): ModelDownloadEvent | undefined {
  let data: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(message.data);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    data = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const id = typeof data['id'] === 'string' ? data['id'] : '';
  switch (message.event) {
    case 'model.download.progress':
      return { type: 'progress', id, receivedBytes: numberOr(data['received_bytes'], 0), totalBytes: numberOr(data['total_bytes'], null) };
    case 'model.download.completed':
      return { type: 'completed', id, sizeBytes: numberOr(data['size_bytes'], 0), sha256: typeof data['sha256'] === 'string' ? data['sha256'] : '' };
    case 'model.download.failed':
      return { type: 'failed', id, failure: failureOf((data['error'] ?? {}) as WireError) };
    default:
      return undefined;
  }
}

/** The error inside a failed event, in the shape the error component shows (message by code, request id). */
function failureOf(error: WireError): ApiFailure {
  const code = isErrorCode(error.code) ? error.code : undefined;
  return {
    code,
    // The stream itself answered 200; the status the code would have had tells the reader how bad it is.
    status: code ? ERROR_CODES[code].status : 500,
    detail: typeof error.message === 'string' && error.message ? error.message : undefined,
    requestId: typeof error.request_id === 'string' && error.request_id ? error.request_id : undefined,
  };
}

function numberOr<T extends number | null>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
