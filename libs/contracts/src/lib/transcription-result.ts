/** A word with its time span, in seconds from the start of the audio. */
export interface TranscriptWord {
  word: string;
  start: number;
  end: number;
  /** 0..1, the model's probability for the word's tokens (product), when the engine gives it. */
  probability?: number;
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
}
