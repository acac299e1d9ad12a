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

/**
 * Why a segment may not be what was said (verbose_json `segments[].flags`): `low_confidence` (avg_logprob below the
 * threshold), `repetition` (compression ratio above the threshold: looping text), `outside_speech` (the segment lies
 * where voice activity detection heard no speech), `known_hallucination` (text from the maintained list of phrases
 * Whisper writes over silence, e.g. "Thanks for watching").
 */
export const SEGMENT_FLAGS = ['low_confidence', 'repetition', 'outside_speech', 'known_hallucination'] as const;
export type SegmentFlag = (typeof SEGMENT_FLAGS)[number];

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
  /** gzip compression ratio of the segment's text (Whisper's repetition measure); high means looping text. */
  compression_ratio?: number;
  /** The sampling temperature the segment was finally decoded at (> 0 after a temperature fallback). */
  temperature?: number;
  /** Present only when something is suspicious about the segment (see SegmentFlag). */
  flags?: SegmentFlag[];
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

/** One segment of OpenAI's `diarized_json` (`TranscriptionDiarizedSegment` in the official SDK). */
export interface DiarizedSegment {
  type: 'transcript.text.segment';
  /** OpenAI's ids are strings ("seg_0", …). */
  id: string;
  start: number;
  end: number;
  /** "A", "B", … in order of first appearance, or a name from `known_speaker_names[]`. */
  speaker: string;
  text: string;
}

/** OpenAI's `diarized_json` response (`TranscriptionDiarized`); usage is by audio duration, as for whisper-1. */
export interface DiarizedTranscription {
  task: 'transcribe';
  duration: number;
  text: string;
  segments: DiarizedSegment[];
  usage: { type: 'duration'; seconds: number };
}
