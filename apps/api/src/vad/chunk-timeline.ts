import type { TranscriptSegment, TranscriptWord } from '@speech/contracts';
import type { ChunkSpan, SpeechChunk } from './chunk-packer';
import { VAD_SAMPLE_RATE } from './speech-detector.port';

/**
 * Which side of a join a time belongs to when it falls exactly on it: a start belongs to the span that begins
 * there, an end to the span that ends there (so a word ending at a join does not jump over the pause).
 */
export type TimeEdge = 'start' | 'end';

/**
 * A time in the chunk (seconds, as the engine reports it) → the same instant in the original audio (seconds).
 * Inside a span the map is a shift by that span's offset, computed from whole samples so it is exact; times
 * outside the chunk (engines round past the end) are clamped to its first/last sample. A time in the silent gap
 * between two spans is a start of what follows (→ the next span's first sample) or an end of what came before
 * (→ the previous span's last sample).
 */
export function toSourceSeconds(chunk: SpeechChunk, seconds: number, edge: TimeEdge, sampleRate = VAD_SAMPLE_RATE): number {
  const span = spanOf(chunk.spans, seconds * sampleRate, edge);
  const inChunk = Math.min(Math.max(seconds * sampleRate, span.chunkStart), span.chunkStart + (span.sourceEnd - span.sourceStart));
  return (span.sourceStart + (inChunk - span.chunkStart)) / sampleRate;
}

/** The span a chunk position belongs to, as a start or an end (see toSourceSeconds for positions in a gap). */
export function spanOf(spans: readonly ChunkSpan[], position: number, edge: TimeEdge): ChunkSpan {
  const span = spanAt(spans, position, edge);
  const next = spans[spans.indexOf(span) + 1];
  const inGapAfter = position >= span.chunkStart + (span.sourceEnd - span.sourceStart);
  return edge === 'start' && inGapAfter && next ? next : span;
}

function spanAt(spans: readonly ChunkSpan[], position: number, edge: TimeEdge): ChunkSpan {
  // Binary search for the last span starting before (end) or at (start) the position.
  let lo = 0;
  let hi = spans.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const start = (spans[mid] as ChunkSpan).chunkStart;
    if (edge === 'start' ? start <= position : start < position) lo = mid;
    else hi = mid - 1;
  }
  return spans[lo] as ChunkSpan;
}

/**
 * A chunk's segments (and their words) on the original timeline. A segment or word that straddles a join keeps
 * its start in the first span and its end in the second, so it covers the pause it was spoken across.
 */
export function segmentsToSource(chunk: SpeechChunk, segments: readonly TranscriptSegment[], sampleRate = VAD_SAMPLE_RATE): TranscriptSegment[] {
  const map = <T extends { start: number; end: number }>(item: T): T => {
    const start = toSourceSeconds(chunk, item.start, 'start', sampleRate);
    const end = toSourceSeconds(chunk, item.end, 'end', sampleRate);
    const span = spanOf(chunk.spans, item.start * sampleRate, 'start');
    return { ...item, start, end: endKeepingLength(start, end, item.end - item.start, span.sourceEnd / sampleRate) };
  };
  return segments.map((segment) => {
    const mapped = map(segment);
    return segment.words ? { ...mapped, words: segment.words.map((word): TranscriptWord => map(word)) } : mapped;
  });
}

/**
 * The end of something whose start moved forward out of silence (a join gap here, a pause in speech-edges).
 * Whisper sometimes times a short segment or word wholly inside the silence before a region (early by a few hundred
 * ms): its start maps to the next region and its end back to the region before, which would leave it zero-length
 * ("5." at [16.45, 16.45] on the eval set's 10 min recording: no subtitle cue, and no overlap with the speech it
 * transcribes). It keeps its own length instead, up to `limit` (the end of the region it now starts in).
 */
export function endKeepingLength(start: number, end: number, length: number, limit: number): number {
  if (end > start) return end;
  return Math.max(start, Math.min(limit, start + Math.max(0, length)));
}
