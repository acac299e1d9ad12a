import type { TranscriptSegment, TranscriptWord } from '@speech/contracts';
import type { SpeechChunk } from './chunk-packer';
import { endKeepingLength, spanOf as spanForStart } from './chunk-timeline';
import { VAD_SAMPLE_RATE } from './speech-detector.port';

/**
 * Whisper sees a chunk's regions end to end and may write one segment across a join; mapped back, that segment
 * would cover the pause between the regions. With word times (the VAD stage asks for them whenever a chunk has
 * more than one region) such a segment is split where its words change region, and every segment and word is
 * kept inside the region it belongs to, so no segment reaches into a pause beyond the regions' padding.
 * Segments without words are left as they are (segmentsToSource then lets them span the pause). Chunk time in,
 * chunk time out; map with segmentsToSource afterwards.
 *
 * A word goes to the region its own time says (its middle inside a region). A word whose middle lies in the silent
 * gap between two regions is timed by guesswork (whisper.cpp spreads a segment's words over the segment's time,
 * gap included: "Folder 8." at [0, 2] with "8." at 2.00 in the gap after "Folder"; "Close" at the end of the region
 * before "parentheses."), so it is placed as if its segment's words were spread over the segment's speech only
 * (see wordsOverSpeech), never before the region of the word preceding it.
 */
export function splitAtJoins(chunk: SpeechChunk, segments: readonly TranscriptSegment[], sampleRate = VAD_SAMPLE_RATE): TranscriptSegment[] {
  if (chunk.spans.length < 2) return [...segments];
  const bounds: Bound[] = chunk.spans.map((span) => ({
    start: span.chunkStart / sampleRate,
    end: (span.chunkStart + span.sourceEnd - span.sourceStart) / sampleRate,
  }));
  const spanOf = (seconds: number) => chunk.spans.indexOf(spanForStart(chunk.spans, seconds * sampleRate, 'start'));
  const clampInto = (index: number, value: number) => {
    const bound = bounds[index] as Bound;
    return Math.min(Math.max(value, bound.start), bound.end);
  };
  const out: TranscriptSegment[] = [];
  for (const segment of segments) {
    const words = segment.words ?? [];
    if (words.length === 0) {
      out.push(segment);
      continue;
    }
    const groups: { span: number; words: TranscriptWord[] }[] = [];
    const spread = wordsOverSpeech(segment, words, bounds);
    words.forEach((word, w) => {
      const middle = (word.start + word.end) / 2;
      const inGap = !bounds.some((bound) => middle >= bound.start && middle <= bound.end);
      const spreadHere = inGap ? spread?.[w] : undefined;
      const placed = spreadHere ?? { span: spanOf(word.start), start: word.start, end: word.end };
      const last = groups[groups.length - 1];
      const span = Math.max(placed.span, last ? last.span : 0);
      const start = clampInto(span, placed.start);
      const spanEnd = (bounds[span] as Bound).end;
      // A spread word is moved, not cut, into its region: it keeps its spread length ("8." across a join stays ~0.3 s).
      const end = spreadHere ? Math.min(spanEnd, Math.max(clampInto(span, placed.end), start + placed.end - placed.start)) : clampInto(span, placed.end);
      const kept = { ...word, start, end: endKeepingLength(start, end, placed.end - placed.start, spanEnd) };
      if (last && last.span === span) last.words.push(kept);
      else groups.push({ span, words: [kept] });
    });
    groups.forEach((group, g) => {
      const first = group.words[0] as TranscriptWord;
      const final = group.words[group.words.length - 1] as TranscriptWord;
      // The segment's own edges where they fall in the same region (they include leading/trailing punctuation time).
      const start = g === 0 && spanOf(segment.start) === group.span ? Math.min(segment.start, first.start) : first.start;
      const end = g === groups.length - 1 && spanOf(segment.end) === group.span ? Math.max(segment.end, final.end) : final.end;
      out.push({
        ...segment,
        start: clampInto(group.span, start),
        end: clampInto(group.span, end),
        text: groups.length === 1 ? segment.text : ` ${group.words.map((w) => w.word.trim()).join(' ')}`,
        words: group.words,
      });
    });
  }
  return out;
}

interface Bound {
  readonly start: number;
  readonly end: number;
}

interface Placed {
  readonly span: number;
  readonly start: number;
  readonly end: number;
}

/**
 * The segment's words laid over the speech it covers, in order and in proportion to their length in characters, with
 * the silent gaps between regions left out: the segment's own start and end are Whisper's firmest times, the gaps
 * certainly hold no words. Each word gets the region holding its middle and its time there. Undefined when the
 * segment covers no speech at all (wholly in a gap: the caller keeps the word's own times).
 */
function wordsOverSpeech(segment: TranscriptSegment, words: readonly TranscriptWord[], bounds: readonly Bound[]): Placed[] | undefined {
  const pieces = bounds
    .map((bound, span) => ({ span, start: Math.max(bound.start, segment.start), end: Math.min(bound.end, segment.end) }))
    .filter((piece) => piece.end > piece.start);
  const speech = pieces.reduce((sum, piece) => sum + piece.end - piece.start, 0);
  if (speech <= 0) return undefined;
  const weights = words.map((word) => Math.max(1, word.word.trim().length));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  /** A point of the segment's speech (seconds from its start, gaps left out) → the piece holding it and chunk time. */
  const at = (offset: number) => {
    let rest = offset;
    for (const piece of pieces) {
      if (rest <= piece.end - piece.start) return { span: piece.span, time: piece.start + rest };
      rest -= piece.end - piece.start;
    }
    const final = pieces[pieces.length - 1] as (typeof pieces)[number];
    return { span: final.span, time: final.end };
  };
  let before = 0;
  return weights.map((weight) => {
    const from = (before / total) * speech;
    before += weight;
    const to = (before / total) * speech;
    const { span } = at((from + to) / 2);
    return { span, start: at(from).time, end: at(to).time };
  });
}
