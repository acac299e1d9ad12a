import type { SegmentFlag, TranscriptionResult, TranscriptSegment } from '@speech/contracts';
import { compressionRatio } from './compression-ratio';
import { isKnownHallucination } from './known-hallucinations';

export interface QualityThresholds {
  /** avg_logprob below this → `low_confidence`. */
  readonly logprobThreshold: number;
  /** compression_ratio above this → `repetition`. */
  readonly compressionRatioThreshold: number;
  /** A segment whose share inside speech regions is below this → `outside_speech`. */
  readonly minSpeechOverlap: number;
}

/** A stretch of speech, in seconds on the audio's timeline (what voice activity detection found). */
export interface SpeechSpan {
  readonly start: number;
  readonly end: number;
}

export interface AssessOptions {
  readonly thresholds: QualityThresholds;
  /** Speech regions when VAD ran; without them no segment can be judged `outside_speech`. */
  readonly speechRegions?: readonly SpeechSpan[];
}

/**
 * Every segment gets its compression ratio, and `flags` when something about it is suspicious. Engine-independent:
 * the numbers come from the segment's own text and the engine's avg_logprob, so every engine is judged alike.
 */
export function assessSegments(result: TranscriptionResult, { thresholds, speechRegions }: AssessOptions): TranscriptionResult {
  const segments = result.segments.map((segment) => assessSegment(segment, thresholds, speechRegions));
  return { ...result, segments };
}

function assessSegment(segment: TranscriptSegment, thresholds: QualityThresholds, speechRegions?: readonly SpeechSpan[]): TranscriptSegment {
  const { flags: _previous, ...rest } = segment;
  const ratio = compressionRatio(segment.text);
  const flags: SegmentFlag[] = [];
  if (segment.avg_logprob !== undefined && segment.avg_logprob < thresholds.logprobThreshold) flags.push('low_confidence');
  if (ratio > thresholds.compressionRatioThreshold) flags.push('repetition');
  if (speechRegions && speechShare(segment, speechRegions) < thresholds.minSpeechOverlap) flags.push('outside_speech');
  if (isKnownHallucination(segment.text)) flags.push('known_hallucination');
  return { ...rest, compression_ratio: ratio, ...(flags.length > 0 ? { flags } : {}) };
}

/** The share of [start, end] covered by speech; a zero-length segment counts as its instant being in speech or not. */
export function speechShare(segment: { start: number; end: number }, regions: readonly SpeechSpan[]): number {
  const length = segment.end - segment.start;
  if (length <= 0) return regions.some((r) => segment.start >= r.start && segment.start <= r.end) ? 1 : 0;
  let covered = 0;
  for (const region of regions) covered += Math.max(0, Math.min(segment.end, region.end) - Math.max(segment.start, region.start));
  return Math.min(1, covered / length);
}
