import type { SegmentFlag, TranscriptionResult } from '@speech/contracts';

/**
 * The flags `hallucination_filter=true` drops a segment for. Not `low_confidence`: quiet or accented speech is often
 * decoded right with a low log-probability, and dropping it would lose real words; the flag stays for the caller.
 */
export const FILTERED_FLAGS: readonly SegmentFlag[] = ['known_hallucination', 'repetition', 'outside_speech'];

/** The result without flagged segments: ids renumbered, `text` and `words` rebuilt from what is left. */
export function dropFlaggedSegments(result: TranscriptionResult, dropped: readonly SegmentFlag[] = FILTERED_FLAGS): TranscriptionResult {
  const kept = result.segments.filter((segment) => !(segment.flags ?? []).some((flag) => dropped.includes(flag)));
  if (kept.length === result.segments.length) return result;
  const segments = kept.map((segment, id) => ({ ...segment, id }));
  const filtered: TranscriptionResult = { ...result, segments, text: segments.map((segment) => segment.text).join('').trim() };
  if (result.words) filtered.words = segments.flatMap((segment) => segment.words ?? []);
  return filtered;
}
