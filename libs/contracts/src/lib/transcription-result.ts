/** A word with its time span, in seconds from the start of the audio. */
export interface TranscriptWord {
  word: string;
  start: number;
  end: number;
  /** 0..1, the model's probability for the word's tokens (product), when the engine gives it. */
  probability?: number;
  /** Who said it, when diarization was asked for ("A", "B", … or a known speaker's name). */
  speaker?: string;
}

/** A segment of the transcript; times in seconds from the start of the audio. */
export interface TranscriptSegment {
  id: number;
  start: number;
  end: number;
  text: string;
  /** Mean log-probability of the segment's tokens, when the engine gives it. */
  avg_logprob?: number;
  /** Probability that the segment holds no speech, when the engine gives it. */
  no_speech_prob?: number;
  words?: TranscriptWord[];
  /** Present only when there is something to warn about (see AudioWarning). */
  warnings?: AudioWarning[];
  /** Who spoke this segment, when diarization was asked for; a segment never spans two speakers. */
  speaker?: string;
}

/**
 * Something the client should know about an answer that still succeeded. `AUDIO_PARTLY_DAMAGED`: part of the file
 * could not be decoded (decoder errors, or less decoded than the container declares), so the transcript may miss words.
 */
export interface AudioWarning {
  code: 'AUDIO_PARTLY_DAMAGED';
  message: string;
  decoded_seconds: number;
  expected_seconds?: number;
  decoder_errors: number;
}

/** What every engine returns and every formatter consumes. */
export interface TranscriptionResult {
  text: string;
  /** ISO 639-1 code of the spoken (or detected) language. */
  language: string;
  /** Duration of the audio in seconds. */
  duration: number;
  segments: TranscriptSegment[];
  /** Flat word list, present when word timestamps were asked for. */
  words?: TranscriptWord[];
  /** Present only when there is something to warn about (see AudioWarning). */
  warnings?: AudioWarning[];
}
