import { VAD_SAMPLE_RATE } from './speech-detector.port';
import type { SpeechRegion } from './speech-regions';

/** One speech region (or a piece of one) as it sits in a chunk: the chunk's samples [chunkStart, chunkStart + length) are the source's [sourceStart, sourceEnd). */
export interface ChunkSpan {
  readonly chunkStart: number;
  readonly sourceStart: number;
  readonly sourceEnd: number;
}

/** What an engine transcribes: speech regions laid end to end (the pauses between them left out), ≤ maxChunkSeconds. */
export interface SpeechChunk {
  readonly index: number;
  /** In chunk order, contiguous in the chunk, increasing and disjoint in the source. */
  readonly spans: readonly ChunkSpan[];
  /** The chunk's length in samples (its spans and the silent gaps between them). */
  readonly samples: number;
}

export interface PackedChunks {
  readonly chunks: readonly SpeechChunk[];
  /** Samples of speech sent to the engine, against the samples of the whole audio: what VAD saves. */
  readonly speechSamples: number;
}

/**
 * Packs speech regions, in order, into chunks of at most `maxChunkSeconds`: a region joins the current chunk while
 * it fits, else starts the next one; a region longer than a chunk (only when regions were made without a
 * maxSpeechSeconds) is cut into full-length pieces. The pauses between regions are not sent (that is the saving);
 * each region keeps its own padding, so neighbours in a chunk are separated by their padded edges, plus `joinGapSeconds`
 * of silence (zeros) between regions that are not contiguous in the source. Pure.
 */
export function packChunks(regions: readonly SpeechRegion[], maxChunkSeconds: number, sampleRate = VAD_SAMPLE_RATE, joinGapSeconds = 0): PackedChunks {
  const maxSamples = Math.floor(maxChunkSeconds * sampleRate);
  const gap = Math.max(0, Math.round(joinGapSeconds * sampleRate));
  if (!(maxSamples > 0)) throw new RangeError(`maxChunkSeconds must be positive; got ${maxChunkSeconds}`);
  const chunks: SpeechChunk[] = [];
  let spans: ChunkSpan[] = [];
  let length = 0;
  let previousEnd = 0;
  let lastSourceEnd = -1;
  const flush = () => {
    if (spans.length > 0) chunks.push({ index: chunks.length, spans, samples: length });
    spans = [];
    length = 0;
  };
  for (const region of regions) {
    if (!Number.isInteger(region.start) || !Number.isInteger(region.end) || region.start < previousEnd || region.end <= region.start) {
      throw new RangeError(`speech regions must be whole samples, increasing and disjoint; got [${region.start}, ${region.end}) after ${previousEnd}`);
    }
    previousEnd = region.end;
    for (let start = region.start; start < region.end; start += maxSamples) {
      const end = Math.min(region.end, start + maxSamples);
      const lead = () => (spans.length > 0 && start !== lastSourceEnd ? gap : 0);
      if (length + lead() + (end - start) > maxSamples) flush();
      length += lead();
      spans.push({ chunkStart: length, sourceStart: start, sourceEnd: end });
      length += end - start;
      lastSourceEnd = end;
    }
  }
  flush();
  return { chunks, speechSamples: regions.reduce((sum, r) => sum + (r.end - r.start), 0) };
}

/** The chunk's audio: its spans copied out of the whole recording, end to end. */
export function chunkAudio(audio: Float32Array, chunk: SpeechChunk): Float32Array {
  const out = new Float32Array(chunk.samples); // the gaps between spans stay zero
  for (const span of chunk.spans) out.set(audio.subarray(span.sourceStart, span.sourceEnd), span.chunkStart);
  return out;
}
