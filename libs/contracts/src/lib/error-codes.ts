/**
 * The one error model shared by the API, the model container and the console.
 * A code is stable: clients branch on it; the message is for people and may change.
 */
export const ERROR_CODES = {
  EMPTY_FILE: { status: 400, message: 'The uploaded file is empty.' },
  MISSING_FILE: { status: 400, message: 'No file was uploaded: send the audio in the multipart field "file".' },
  INVALID_OPTION: { status: 400, message: 'An option has an invalid value.' },
  INVALID_SUBTITLE_OPTION: {
    status: 400,
    message: 'A subtitle option (max_line_width, max_line_count, max_cue_duration, min_cue_gap, highlight_words) has an invalid value.',
  },
  MALFORMED_REQUEST: { status: 400, message: 'The HTTP request could not be parsed (request line, headers or body framing).' },
  UNAUTHORIZED: { status: 401, message: 'A valid API key is required.' },
  FORBIDDEN: { status: 403, message: 'This API key does not have the scope this request needs.' },
  JOB_NOT_FOUND: { status: 404, message: 'No job with this id exists.' },
  NOT_FOUND: { status: 404, message: 'No such route.' },
  MODEL_NOT_FOUND: { status: 404, message: 'No model with this id is served here; GET /v1/models lists them.' },
  MODEL_NOT_DOWNLOADABLE: {
    status: 400,
    message: 'This model cannot be downloaded: it is configured as a file path, or is not in the whisper.cpp model catalog.',
  },
  MODEL_IN_USE: { status: 409, message: 'The model is loaded or busy; wait until it is idle and unloaded, then retry.' },
  JOB_NOT_RETRYABLE: { status: 409, message: 'Only a failed or cancelled job can be retried.' },
  JOB_NOT_CANCELLABLE: { status: 409, message: 'The job has already finished; there is nothing to cancel.' },
  JOB_NOT_FINISHED: { status: 409, message: 'The job has no transcript yet; wait until it has succeeded.' },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    message: 'This Idempotency-Key was already used with a different request.',
  },
  CALLBACK_URL_REJECTED: {
    status: 400,
    message: 'The callback_url is not allowed (private, loopback or denied address, or not http/https).',
  },
  REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time; the connection was idle for too long.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than the limit for this route.' },
  FILE_TOO_LARGE: { status: 413, message: 'The uploaded file is larger than the size limit.' },
  UNSUPPORTED_MEDIA: { status: 415, message: 'The file is not in a supported audio format.' },
  UNDECODABLE_AUDIO: { status: 422, message: 'The file looks like audio but could not be decoded.' },
  AUDIO_TOO_LONG: { status: 422, message: 'The audio is longer than the maximum duration.' },
  HOST_NOT_ALLOWED: {
    status: 421,
    message: 'The Host header names a host this server does not answer for (DNS-rebinding defence); see ALLOWED_HOSTS.',
  },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are larger than the server accepts.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; retry later.' },
  TOO_MANY_STREAMS: { status: 429, message: 'Too many event streams are open (for this API key or on this server); close one or retry later.' },
  JOB_QUEUE_FULL: { status: 429, message: 'This API key already has as many queued jobs as it may; retry once some have started.' },
  AUDIO_BACKLOG_FULL: {
    status: 429,
    message: 'This API key already has as many hours of audio queued and running as it may; retry once some jobs have finished.',
  },
  TOO_MANY_CONCURRENT_REQUESTS: {
    status: 429,
    message: 'This API key already has as many synchronous transcriptions in flight as it may; retry once one has finished.',
  },
  INTERNAL_ERROR: { status: 500, message: 'An unexpected error occurred.' },
  JOB_ATTEMPTS_EXHAUSTED: {
    status: 500,
    message: 'The job was interrupted (worker stopped or crashed) more times than the attempt limit allows.',
  },
  ENGINE_FAILED: { status: 502, message: 'The transcription engine failed on this request.' },
  MODEL_DOWNLOAD_FAILED: { status: 502, message: 'The model download failed; retry, and it resumes where it stopped.' },
  MODEL_CHECKSUM_MISMATCH: { status: 502, message: 'The downloaded model does not match its published checksum and was discarded.' },
  ENGINE_BUSY: { status: 503, message: 'The transcription engine is at capacity; retry later.' },
  MODEL_DOWNLOADS_BUSY: { status: 503, message: 'As many model downloads as allowed are under way; retry when one has finished.' },
  DECODE_BUSY: { status: 503, message: 'Every audio decode slot is busy; retry later.' },
  MODEL_UNAVAILABLE: { status: 503, message: 'The speech model is not available.' },
  STORAGE_UNAVAILABLE: { status: 503, message: 'The job or blob store is unavailable; retry later.' },
  SHUTTING_DOWN: { status: 503, message: 'This instance is shutting down; retry, and another instance will answer.' },
  INSUFFICIENT_STORAGE: { status: 507, message: 'The server has no disk space left for this upload; retry later.' },
  NOT_READY: { status: 503, message: 'The service is not ready: a readiness check is down.' },
  ENGINE_TIMEOUT: { status: 504, message: 'The transcription engine did not answer in time.' },
  CANCELLED: { status: 499, message: 'The request was cancelled.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

export function statusForCode(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}
