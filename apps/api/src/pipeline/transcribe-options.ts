import type { ResponseFormat, TimestampGranularity, TranscriptionOptions } from '@speech/contracts';
import type { SubtitleOptions } from '@speech/transcript-formats';
import type { DiarizationRequest } from '../diarization/diarization-options';
import type { VadSettings } from '../vad/vad-options';

/**
 * What a caller asks of one transcription, validated: the one shape from the form parser through the pipeline to the
 * engine and the formatter, for sync requests and jobs alike. It extends the engine's options, so the pipeline hands
 * it to the engine as it is. A job keeps it in its record in the stored snake_case form; jobs/job-options.ts is the
 * only place that converts between the two.
 */
export interface TranscribeOptions extends TranscriptionOptions {
  /**
   * The `model` field as sent (trimmed): a served model's id, `whisper-1`, or absent for the default. The dispatch
   * stage resolves it against the served models (ModelRegistry), so an unknown name is refused there.
   */
  readonly model?: string;
  /** The format the answer (or a job's `links.transcript`) is written in. */
  readonly responseFormat: ResponseFormat;
  /** Which timestamps verbose_json lists; never empty. */
  readonly granularities: readonly TimestampGranularity[];
  /** SRT/VTT line and timing rules, when the request set any (else one cue per segment). */
  readonly subtitles?: SubtitleOptions;
  /**
   * Who spoke when (`diarize=true`, or `response_format=diarized_json`); absent: no diarization. `wordTimestamps` stays
   * what the caller asked: the pipeline turns word timings on for the engine by itself while diarizing.
   */
  readonly diarization?: Extract<DiarizationRequest, { enabled: true }>;
  /**
   * `hallucination_filter=true`: segments flagged known_hallucination, repetition or outside_speech are dropped
   * (pipeline/segment-quality/hallucination-filter.ts); absent or false: every segment is kept, flags and all.
   */
  readonly hallucinationFilter?: boolean;
  /** Speech detection before the engine (`vad`, `chunking_strategy`; vad/vad-options.ts): on unless turned off. */
  readonly vad: VadSettings;
}

/**
 * Granularities when the caller named none: segments, plus words when word timestamps were asked for
 * (`word_timestamps=true` means "give me the words" wherever the transcript is read).
 */
export function defaultGranularities(wordTimestamps: boolean): TimestampGranularity[] {
  return wordTimestamps ? ['word', 'segment'] : ['segment'];
}
