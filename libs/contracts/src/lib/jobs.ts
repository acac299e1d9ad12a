import type { ErrorCode } from './error-codes';
import type { ResponseFormat, Task, TimestampGranularity } from './transcription-options';

/**
 * Async transcription jobs — the wire shapes of `/api/v1/jobs`, `POST /transcribe?async=true`,
 * `GET /status/{id}`, the server-sent-events streams and the webhook body.
 * Field names are snake_case like the rest of the native API; times are ISO 8601 strings (UTC).
 */

/** queued → running → succeeded | failed | cancelled. A running job may go back to queued when its worker died. */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export function isTerminalJobStatus(status: JobStatus): boolean {
  return TERMINAL_JOB_STATUSES.includes(status);
}

/** Only these may be retried with `POST /api/v1/jobs/{id}/retry`. */
export const RETRYABLE_JOB_STATUSES: readonly JobStatus[] = ['failed', 'cancelled'];

/** Why a job failed: a stable code from ERROR_CODES plus a message for people. */
export interface JobError {
  code: ErrorCode;
  message: string;
}

/** Decoding options the job was created with (same meaning as the sync form fields). */
export interface JobOptions {
  /** The model asked for (`whisper-1` or absent: the server's default). */
  model?: string;
  language?: string;
  task: Task;
  prompt?: string;
  temperature: number;
  word_timestamps: boolean;
  /** The format `links.transcript` serves; every format is downloadable anyway. */
  response_format: ResponseFormat;
  /**
   * Which timestamps the verbose_json transcript lists, as asked at creation. Absent on jobs created before it was
   * kept: those list words and segments with `word_timestamps`, segments alone without.
   */
  timestamp_granularities?: TimestampGranularity[];
  /** Subtitle rules for the job's SRT/VTT (see @speech/transcript-formats); present only when the request set them. */
  max_line_width?: number;
  max_line_count?: number;
  max_cue_duration?: number;
  min_cue_gap?: number;
  highlight_words?: boolean;
  /** Speaker diarization over the whole recording (present only when asked for), with the speaker counts given. */
  diarize?: boolean;
  num_speakers?: number;
  min_speakers?: number;
  max_speakers?: number;
  /** Segments flagged as hallucinated, looping or outside speech are left out (present only when asked for). */
  hallucination_filter?: boolean;
  /** Present (false) only when the job was created with speech detection turned off. */
  vad?: boolean;
  /** OpenAI's server_vad settings the job was created with; absent: `auto` (or VAD off). */
  chunking_strategy?: ServerVadStrategy;
}

/** OpenAI's `chunking_strategy` object: how speech is found before decoding. */
export interface ServerVadStrategy {
  type: 'server_vad';
  threshold: number;
  prefix_padding_ms: number;
  silence_duration_ms: number;
}

export interface JobAudio {
  /** Original file name as uploaded, when the client sent one. */
  filename: string | null;
  /** Size of the uploaded file in bytes. */
  bytes: number;
  /** Known once the audio has been probed (right after upload). */
  duration_seconds: number | null;
}

/** Long audio is split at silences into windows; each is transcribed (and retried) on its own. */
export interface JobWindows {
  total: number;
  done: number;
}

/** One attempt to POST the job's final state to its `callback_url`. */
export interface WebhookDelivery {
  at: string;
  /** HTTP status the receiver answered; null when no answer came (refused, timeout, DNS). */
  status_code: number | null;
  ok: boolean;
  /** 1 for the first try, then 2, 3, … (exponential back-off between them). */
  attempt: number;
  /** The job status the delivery announced. */
  event: JobStatus;
  error?: string;
}

export interface JobLinks {
  /** `GET` → this Job. */
  self: string;
  /** `GET` → the transcript in `options.response_format`; `…/transcript.{json,txt,srt,vtt,verbose.json}` for the others. */
  transcript: string;
  /** `GET` → text/event-stream of JobEvent for this job. */
  events: string;
}

export interface Job {
  id: string;
  status: JobStatus;
  /** 0..1; windows done plus the running window's share. */
  progress: number;
  /** Seconds until done, estimated from the speed so far; null when unknown or finished. */
  eta_seconds: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
  /** How many times a worker has started this job (a restart or a retry adds one). */
  attempts: number;
  max_attempts: number;
  error: JobError | null;
  options: JobOptions;
  audio: JobAudio;
  windows: JobWindows;
  callback_url: string | null;
  webhook_deliveries: WebhookDelivery[];
  /** When the job, its transcript and any kept audio will be purged (then GET answers 404); null until the job ends. */
  result_expires_at: string | null;
  links: JobLinks;
}

/** Answer of a create (202): the job plus where to poll it. `Location` carries the same URL. */
export interface JobAccepted extends Job {
  status_url: string;
}

/** `GET /api/v1/jobs?status=&limit=&cursor=` — newest first; pass `next_cursor` back as `cursor` for the next page. */
export interface JobList {
  data: Job[];
  next_cursor: string | null;
}

export interface JobListQuery {
  /** One status or a comma-separated list. */
  status?: JobStatus | JobStatus[];
  /** 1..100, default 20. */
  limit?: number;
  cursor?: string;
}

export const JOB_EVENT_TYPES = [
  'job.created',
  'job.updated',
  'job.progress',
  'job.succeeded',
  'job.failed',
  'job.cancelled',
  'job.deleted',
] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/**
 * One server-sent event (`event: job`, `data:` this JSON, `id:` seq).
 * Streams: `GET /api/v1/jobs/{id}/events` (one job; first event is the current state) and
 * `GET /api/v1/jobs/events` (every job). `seq` increases per stream, so a client can spot gaps.
 */
export interface JobEvent {
  type: JobEventType;
  seq: number;
  at: string;
  job: Job;
}

/** Body POSTed to `callback_url` when the job ends. */
export interface JobWebhookPayload {
  type: 'job.succeeded' | 'job.failed' | 'job.cancelled';
  at: string;
  job: Job;
}

/**
 * Webhook signature: header `X-Webhook-Signature: v1=<hex>` where hex = HMAC-SHA256(secret,
 * `${X-Webhook-Timestamp}.${raw body}`); `X-Webhook-Timestamp` is Unix seconds. The secret is the job owner's
 * (one per API key, from `GET /api/v1/webhooks/secret`), never the server's WEBHOOK_SECRET itself. Receivers should
 * also reject timestamps far from their clock (replay).
 */
export const WEBHOOK_SIGNATURE_HEADER = 'x-webhook-signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-webhook-timestamp';
export const WEBHOOK_ID_HEADER = 'x-webhook-id';

/** `GET /api/v1/webhooks/secret`: what a receiver of the calling key's webhooks verifies them with. */
export interface WebhookSecret {
  owner_id: string;
  /** `whsec_…`: the HMAC key, used as the string it is. */
  secret: string;
  signature_header: string;
  timestamp_header: string;
  scheme: string;
}

/** File names under `/api/v1/jobs/{id}/` for each output format. */
export const TRANSCRIPT_FILE_NAMES: Readonly<Record<ResponseFormat, string>> = {
  json: 'transcript.json',
  text: 'transcript.txt',
  srt: 'transcript.srt',
  vtt: 'transcript.vtt',
  verbose_json: 'transcript.verbose.json',
  diarized_json: 'transcript.diarized.json',
};
