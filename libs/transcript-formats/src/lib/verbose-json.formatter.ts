import { languageName, type SegmentFlag, type Task, type TimestampGranularity, type TranscriptionResult } from '@speech/contracts';

export interface VerboseSegment {
  id: number;
  start: number;
  end: number;
  text: string;
  temperature: number;
  compression_ratio: number;
  avg_logprob?: number;
  no_speech_prob?: number;
  /** Present when the transcript was diarized. */
  speaker?: string;
  /** Why the segment may not be what was said; present only when something is suspicious. */
  flags?: SegmentFlag[];
}

export interface VerboseTranscription {
  task: Task;
  language: string;
  duration: number;
  text: string;
  segments?: VerboseSegment[];
  words?: Array<{ word: string; start: number; end: number; speaker?: string }>;
}

/**
 * Whisper's repetition signal for a text: its UTF-8 bytes over its zlib-compressed bytes. Passed in because
 * zlib is Node's (the API has it; a browser does not need verbose_json).
 */
export type CompressionRatio = (text: string) => number;

/**
 * OpenAI's `verbose_json`: language as an English name, segments with decoding statistics, words
 * only when asked for. Fields we cannot know (token ids, seek) are left out rather than invented.
 */
export function formatVerboseJson(
  result: TranscriptionResult,
  task: Task,
  temperature: number,
  granularities: readonly TimestampGranularity[],
  compressionRatio: CompressionRatio,
): VerboseTranscription {
  const body: VerboseTranscription = {
    task,
    language: languageName(result.language),
    duration: round(result.duration),
    text: result.text,
  };
  if (granularities.includes('segment')) {
    body.segments = result.segments.map((segment) => ({
      id: segment.id,
      start: round(segment.start),
      end: round(segment.end),
      text: segment.text,
      // The engine's final temperature and the pipeline's ratio when the segment carries them (segment-quality).
      temperature: segment.temperature ?? temperature,
      compression_ratio: round(segment.compression_ratio ?? compressionRatio(segment.text)),
      ...(segment.avg_logprob !== undefined ? { avg_logprob: round(segment.avg_logprob) } : {}),
      ...(segment.no_speech_prob !== undefined ? { no_speech_prob: round(segment.no_speech_prob) } : {}),
      ...(segment.speaker !== undefined ? { speaker: segment.speaker } : {}),
      ...(segment.flags?.length ? { flags: [...segment.flags] } : {}),
    }));
  }
  if (granularities.includes('word')) {
    body.words = (result.words ?? []).map(({ word, start, end, speaker }) => ({
      word,
      start: round(start),
      end: round(end),
      ...(speaker !== undefined ? { speaker } : {}),
    }));
  }
  return body;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
