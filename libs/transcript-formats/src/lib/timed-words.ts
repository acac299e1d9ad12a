import type { TranscriptionResult, TranscriptSegment, TranscriptWord } from '@speech/contracts';
import type { TimedWord } from './cue';

/**
 * The words of each segment with text, in milliseconds. Word timestamps come from the segment's own `words`,
 * else from the result's flat `words` (each given to the segment it starts in). A segment with text but no
 * word timings gets its words from its text, with its time shared out by length (Whisper's segment times are
 * all there is; the cue rules still hold, only the word placement is estimated).
 */
export function wordsBySegment(result: TranscriptionResult): TimedWord[][] {
  const flat = assignFlatWords(result);
  return result.segments
    .map((segment, index) => {
      const timed = segment.words?.length ? segment.words : flat[index];
      const words = timed?.length ? fromTimestamps(timed) : [];
      const placed = words.length > 0 ? words : estimated(segment);
      // A diarized segment has one speaker; its words carry it (a word's own label wins, they agree after the split).
      return segment.speaker === undefined ? placed : placed.map((word) => ({ ...word, speaker: word.speaker ?? segment.speaker }));
    })
    .filter((words) => words.length > 0);
}

/** Splits a word wider than a line into line-sized pieces, sharing its time out by length. */
export function splitLongWords(words: readonly TimedWord[], maxChars: number): TimedWord[] {
  return words.flatMap((word) => {
    const chars = [...word.text];
    if (chars.length <= maxChars) return [word];
    const pieces: string[] = [];
    for (let at = 0; at < chars.length; at += maxChars) pieces.push(chars.slice(at, at + maxChars).join(''));
    const placed = spread(pieces, word.startMs, word.endMs);
    return word.speaker === undefined ? placed : placed.map((piece) => ({ ...piece, speaker: word.speaker }));
  });
}

function assignFlatWords(result: TranscriptionResult): TranscriptWord[][] {
  const perSegment: TranscriptWord[][] = result.segments.map(() => []);
  const segments = result.segments;
  if (!result.words?.length || segments.length === 0) return perSegment;
  let index = 0;
  for (const word of result.words) {
    while (index < segments.length - 1 && word.start >= (segments[index] as TranscriptSegment).end) index += 1;
    perSegment[index]?.push(word);
  }
  return perSegment;
}

function fromTimestamps(words: readonly TranscriptWord[]): TimedWord[] {
  return words
    .map((word) => ({
      text: word.word.trim(),
      startMs: Math.round(word.start * 1000),
      endMs: Math.round(word.end * 1000),
      ...(word.speaker !== undefined ? { speaker: word.speaker } : {}),
    }))
    .filter((word) => word.text.length > 0)
    .map((word) => ({ ...word, endMs: Math.max(word.startMs, word.endMs) }));
}

function estimated(segment: TranscriptSegment): TimedWord[] {
  const texts = segment.text.trim().split(/\s+/).filter((text) => text.length > 0);
  return spread(texts, Math.round(segment.start * 1000), Math.round(segment.end * 1000));
}

/** Places texts one after another over [startMs, endMs], each taking time in proportion to its length. */
function spread(texts: readonly string[], startMs: number, endMs: number): TimedWord[] {
  const total = texts.reduce((sum, text) => sum + [...text].length, 0);
  const span = Math.max(0, endMs - startMs);
  let used = 0;
  return texts.map((text) => {
    const from = startMs + Math.round((span * used) / total);
    used += [...text].length;
    return { text, startMs: from, endMs: startMs + Math.round((span * used) / total) };
  });
}
