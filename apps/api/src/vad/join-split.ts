import type { TranscriptSegment, TranscriptWord } from '@speech/contracts';
import type { SpeechChunk } from './chunk-packer';
import { spanOf as spanForStart } from './chunk-timeline';
import { VAD_SAMPLE_RATE } from './speech-detector.port';

/**
 * Whisper sees a chunk's regions end to end and may write one segment across a join; mapped back, that segment
 * would cover the pause between the regions. With word times (the VAD stage asks for them whenever a chunk has
 * more than one region) such a segment is split where its words change region, and every segment and word is
 * kept inside the region it belongs to, so no segment reaches into a pause beyond the regions' padding.
 * Segments without words are left as they are (segmentsToSource then lets them span the pause). Chunk time in,
 * chunk time out; map with segmentsToSource afterwards.
 */
export function splitAtJoins(chunk: SpeechChunk, segments: readonly TranscriptSegment[], sampleRate = VAD_SAMPLE_RATE): TranscriptSegment[] {
  if (chunk.spans.length < 2) return [...segments];
  const bounds = chunk.spans.map((span) => ({
    start: span.chunkStart / sampleRate,
    end: (span.chunkStart + span.sourceEnd - span.sourceStart) / sampleRate,
  }));
  const spanOf = (seconds: number) => chunk.spans.indexOf(spanForStart(chunk.spans, seconds * sampleRate, 'start'));
  const clampInto = (index: number, value: number) => {
    const bound = bounds[index] as { start: number; end: number };
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
    for (const word of words) {
      const span = spanOf(word.start);
      const last = groups[groups.length - 1];
      const start = clampInto(span, word.start);
      const kept = { ...word, start, end: Math.max(start, clampInto(span, word.end)) };
      if (last && last.span === span) last.words.push(kept);
      else groups.push({ span, words: [kept] });
    }
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
