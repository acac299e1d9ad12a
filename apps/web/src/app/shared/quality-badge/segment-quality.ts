import { SEGMENT_FLAGS, type SegmentFlag, type TranscriptionResult, type TranscriptSegment } from '@speech/contracts';

/**
 * Whisper's own log-probability threshold (`logprob_threshold`, -1.0): below it a decode counts as failed. Applied
 * only to results in which no segment carries flags (an API or engine that does not flag yet); once the API flags,
 * its flags (and its configured thresholds) are the whole truth.
 */
export const LOW_CONFIDENCE_LOGPROB = -1;

/** Each segment's quality flags, in segment order. */
export function qualityFlags(result: TranscriptionResult): SegmentFlag[][] {
  const apiFlags = result.segments.some((segment) => segment.flags !== undefined);
  return result.segments.map((segment) => (apiFlags ? ordered(segment.flags ?? []) : derived(segment)));
}

function derived(segment: TranscriptSegment): SegmentFlag[] {
  return segment.avg_logprob !== undefined && segment.avg_logprob < LOW_CONFIDENCE_LOGPROB ? ['low_confidence'] : [];
}

/** In the contract's order, so badges read the same on every segment; unknown values (a newer API) are left out. */
function ordered(flags: readonly SegmentFlag[]): SegmentFlag[] {
  return SEGMENT_FLAGS.filter((flag) => flags.includes(flag));
}
