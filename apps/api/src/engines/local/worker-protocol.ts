/**
 * Wire types of the whisper-worker JSON-lines protocol (apps/api/native/whisper-worker). One JSON object per
 * line: ops on the worker's stdin, events on its stdout. Times are milliseconds; whisper.cpp's centiseconds
 * are converted by the worker.
 */
export interface TranscribeOp {
  op: 'transcribe';
  id: string;
  /** Raw little-endian float32, 16 kHz mono. */
  pcm: string;
  language: string;
  translate: boolean;
  prompt: string;
  temperature: number;
  temperature_inc: number;
  beam_size: number;
  word_timestamps: boolean;
  threads: number;
  /** Encoder frames (50 a second, at most 1500 = 30 s); 0 or absent: the full window. */
  audio_ctx?: number;
  /** Most tokens one window's decode may write (0..448; 0 or absent: whisper.cpp's own ~220); past it the result is `token_budget_exceeded`. */
  max_window_tokens?: number;
}

export interface BenchEncodeOp {
  op: 'bench_encode';
  id: string;
  threads: number;
}

export type JobOp = TranscribeOp | BenchEncodeOp;
export type WorkerOp = JobOp | { op: 'cancel'; id: string } | { op: 'shutdown' };

export interface ReadyEvent {
  event: 'ready';
  model: string;
  multilingual: boolean;
  n_mels: number;
  system_info: string;
  threads: number;
  parallel: number;
}

export interface FatalEvent {
  event: 'fatal';
  code: string;
  message: string;
}

export interface ProgressEvent {
  event: 'progress';
  id: string;
  percent: number;
}

export interface WorkerToken {
  text: string;
  t0_ms: number;
  t1_ms: number;
  p: number;
}

export interface WorkerSegment {
  t0_ms: number;
  t1_ms: number;
  text: string;
  no_speech_prob: number;
  avg_logprob: number;
  /** Present when word_timestamps was asked for; special tokens are already filtered out. */
  tokens?: WorkerToken[];
}

export interface ResultEvent {
  event: 'result';
  id: string;
  language: string;
  segments: WorkerSegment[];
  /** The decode passed `max_window_tokens` and was stopped (a runaway, most likely a loop): no segments. */
  token_budget_exceeded?: boolean;
  /** `audio_ctx`: the encoder frames used; `encoder_passes`: encodes run (one per window the decoder seeked to). */
  timings: { total_ms: number; audio_ctx?: number; encoder_passes?: number };
}

export interface BenchEvent {
  event: 'bench';
  id: string;
  encode_ms: number;
  threads: number;
}

export interface ErrorEvent {
  event: 'error';
  /** null when the worker could not tell which request a bad line belonged to. */
  id: string | null;
  code: string;
  message: string;
}

export type WorkerEvent = ReadyEvent | FatalEvent | ProgressEvent | ResultEvent | BenchEvent | ErrorEvent;

/** Parses one stdout line; returns null for anything that is not a known event. */
export function parseWorkerEvent(line: string): WorkerEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const event = (value as { event?: unknown }).event;
  const known = ['ready', 'fatal', 'progress', 'result', 'bench', 'error'];
  return typeof event === 'string' && known.includes(event) ? (value as WorkerEvent) : null;
}
