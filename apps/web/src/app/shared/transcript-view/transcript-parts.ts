import type { SegmentFlag, TranscriptionResult, TranscriptSegment, TranscriptWord } from '@speech/contracts';
import { qualityFlags } from '../quality-badge/segment-quality';

/** A run of text in a segment: one word (when the transcript has words) or a piece between search hits. */
export interface TextPart {
  readonly text: string;
  /** Part of a search hit. */
  readonly mark: boolean;
  /** Index of the word in its segment, when words exist. */
  readonly word?: number;
}

export interface ViewSegment {
  readonly id: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly words: readonly TranscriptWord[];
  /** The API's speaker label, when the transcript was diarized. */
  readonly speaker?: string;
  /** Why the segment may not be what was said; empty when nothing is suspicious. */
  readonly flags: readonly SegmentFlag[];
}

/** Segments with their words: a segment's own words, else the flat word list cut by the segment's span. */
export function viewSegments(result: TranscriptionResult): ViewSegment[] {
  const flat = result.words ?? [];
  const flags = qualityFlags(result);
  return result.segments.map((segment: TranscriptSegment, index) => {
    const next = result.segments[index + 1];
    const words =
      segment.words ??
      flat.filter((word) => word.start >= segment.start && (next ? word.start < next.start : true) && word.start <= Math.max(segment.end, segment.start));
    return { id: segment.id, start: segment.start, end: segment.end, text: segment.text.trim(), words, speaker: segment.speaker, flags: flags[index] };
  });
}

/** The parts to render for a segment, with case-insensitive hits of `query` marked. */
export function segmentParts(segment: ViewSegment, query: string): TextPart[] {
  if (segment.words.length === 0) return splitByQuery(segment.text, query);
  const parts: TextPart[] = [];
  segment.words.forEach((word, index) => {
    const text = word.word.trim();
    if (index > 0) parts.push({ text: ' ', mark: false });
    for (const piece of splitByQuery(text, query)) parts.push({ ...piece, word: index });
  });
  return parts;
}

/** Number of hits of `query` in `text`, case-insensitive. */
export function countHits(text: string, query: string): number {
  const needle = query.trim().toLocaleLowerCase();
  if (!needle) return 0;
  const haystack = text.toLocaleLowerCase();
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) count += 1;
  return count;
}

function splitByQuery(text: string, query: string): TextPart[] {
  const needle = query.trim().toLocaleLowerCase();
  if (!needle) return [{ text, mark: false }];
  const lower = text.toLocaleLowerCase();
  const parts: TextPart[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, from)) {
    if (at > from) parts.push({ text: text.slice(from, at), mark: false });
    parts.push({ text: text.slice(at, at + needle.length), mark: true });
    from = at + needle.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), mark: false });
  return parts;
}

/** The segment playing at `time`: the last one that has started and not yet ended. */
export function activeSegmentAt(segments: readonly ViewSegment[], time: number): ViewSegment | undefined {
  let active: ViewSegment | undefined;
  for (const segment of segments) {
    if (segment.start <= time && time < segment.end) active = segment;
  }
  return active;
}

export function activeWordAt(segment: ViewSegment | undefined, time: number): number | undefined {
  if (!segment) return undefined;
  const index = segment.words.findIndex((word) => word.start <= time && time < word.end);
  return index >= 0 ? index : undefined;
}
