/** `diarized_json` is OpenAI's speaker-labelled transcript; asking for it turns speaker diarization on. */
export const RESPONSE_FORMATS = ['json', 'text', 'srt', 'vtt', 'verbose_json', 'diarized_json'] as const;
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

export const TASKS = ['transcribe', 'translate'] as const;
export type Task = (typeof TASKS)[number];

export const TIMESTAMP_GRANULARITIES = ['word', 'segment'] as const;
export type TimestampGranularity = (typeof TIMESTAMP_GRANULARITIES)[number];

/** Decoding options shared by every engine. */
export interface TranscriptionOptions {
  /** ISO 639-1 code; absent means detect. */
  language?: string;
  task: Task;
  /** Text that conditions the decoder (names, spelling, style). */
  prompt?: string;
  /**
   * 0..1, where decoding starts; 0 is greedy. As in OpenAI's API and Whisper, a window that fails the quality
   * thresholds is decoded again warmer when the server's temperature fallback is on (TEMPERATURE_FALLBACK).
   */
  temperature: number;
  /** Word-level timestamps wanted. */
  wordTimestamps: boolean;
  /**
   * Short audio (a realtime turn): the local engine runs its encoder over the audio's own length plus a second (at
   * least 7.7 s) instead of a full 30 s window, a fraction of the cost, and decodes again with the full window when
   * the text loops. Off for files, where whole windows transcribe best.
   */
  fitEncoderToAudio?: boolean;
  /** With fitEncoderToAudio: the fitted window covers at least this many seconds (a floor for very short audio). */
  fitEncoderMinSeconds?: number;
  /**
   * With fitEncoderToAudio, when the fitted decode loops (its text repeats itself): true (default) decodes again with
   * the full window; false returns no text instead, for a decode whose text may be skipped (a realtime partial).
   */
  fitEncoderLoopRetry?: boolean;
  /**
   * false: one pass at `temperature`, never decoded again warmer, whatever TEMPERATURE_FALLBACK says (local engine).
   * Warmer passes sample from the worker's random generator, whose state every earlier sampled decode moved on, so
   * their text depends on what ran before: for realtime turns, on the other sessions.
   */
  temperatureFallback?: boolean;
}

/** Audio formats the API accepts, decided by content (magic bytes). */
export const ACCEPTED_AUDIO_FORMATS = ['mp3', 'wav', 'm4a', 'flac', 'ogg', 'webm'] as const;
export type AudioFormat = (typeof ACCEPTED_AUDIO_FORMATS)[number];
