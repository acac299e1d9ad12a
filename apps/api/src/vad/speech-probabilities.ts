import { open } from 'node:fs/promises';
import { type SpeechDetector, VAD_FRAME_SAMPLES } from './speech-detector.port';
import { STREAM_PARTS, type StreamPartOptions, streamParts } from './stream-parts';

const BYTES_PER_SAMPLE = 4;
/** Frames per stream per step: 250 × 16 streams of 512 f32 samples is 8 MB, so memory stays flat whatever the length. */
const FRAMES_PER_BLOCK = 250;

/** Copies `samples` samples from sample `from` into `into` (the caller has zeroed it; past the end stays zero). */
type SampleReader = (from: number, into: Float32Array) => Promise<void>;

/** Probabilities of every 512-sample frame of 16 kHz mono audio; the last partial frame is zero-padded (as the reference does). */
export async function speechProbabilities(audio: Float32Array, detector: SpeechDetector, signal?: AbortSignal, parts: StreamPartOptions = STREAM_PARTS): Promise<Float32Array> {
  const read: SampleReader = async (from, into) => into.set(audio.subarray(from, Math.min(audio.length, from + into.length)));
  return probabilitiesInParts(audio.length, read, detector, parts, signal);
}

/**
 * The same over a raw f32le mono 16 kHz file (the normalized audio's format), read in bounded blocks. Returns the
 * probabilities (4 bytes per 32 ms: ~450 kB per audio hour) and the file's length in samples.
 */
export async function speechProbabilitiesOfFile(
  pcmPath: string,
  detector: SpeechDetector,
  signal?: AbortSignal,
  parts: StreamPartOptions = STREAM_PARTS,
): Promise<{ probabilities: Float32Array; samples: number }> {
  const file = await open(pcmPath, 'r');
  try {
    const samples = Math.floor((await file.stat()).size / BYTES_PER_SAMPLE);
    const read: SampleReader = async (from, into) => {
      const wanted = Math.max(0, Math.min(into.length, samples - from)) * BYTES_PER_SAMPLE;
      if (wanted > 0) await file.read(new Uint8Array(into.buffer, into.byteOffset, wanted), 0, wanted, from * BYTES_PER_SAMPLE);
    };
    return { probabilities: await probabilitiesInParts(samples, read, detector, parts, signal), samples };
  } finally {
    await file.close();
  }
}

/**
 * The recording cut into parts (stream-parts.ts), all scored together as streams of one detector, each block of a
 * stream read where that stream is; a stream past its part's end gets silence, whose scores are dropped.
 */
async function probabilitiesInParts(samples: number, read: SampleReader, detector: SpeechDetector, options: StreamPartOptions, signal?: AbortSignal): Promise<Float32Array> {
  const frames = Math.ceil(samples / VAD_FRAME_SAMPLES);
  const out = new Float32Array(frames);
  const parts = streamParts(frames, options);
  if (parts.length === 0) return out;
  const streams = detector.openStreams(parts.length);
  const steps = Math.max(...parts.map((part) => part.end - part.from));
  const blocks = parts.map(() => new Float32Array(FRAMES_PER_BLOCK * VAD_FRAME_SAMPLES));
  for (let step = 0; step < steps; step += FRAMES_PER_BLOCK) {
    signal?.throwIfAborted();
    const count = Math.min(FRAMES_PER_BLOCK, steps - step);
    const views = blocks.map((block) => block.subarray(0, count * VAD_FRAME_SAMPLES).fill(0));
    await Promise.all(
      parts.map(async (part, index) => {
        const from = part.from + step;
        if (from < part.end) await read(from * VAD_FRAME_SAMPLES, (views[index] as Float32Array).subarray(0, Math.min(count, part.end - from) * VAD_FRAME_SAMPLES));
      }),
    );
    const scores = await streams.score(views);
    parts.forEach((part, index) => {
      const from = part.from + step;
      // Keep the frames of the part itself: after its warm-up, before its end.
      for (let f = Math.max(from, part.first); f < Math.min(from + count, part.end); f += 1) out[f] = (scores[index] as Float32Array)[f - from] as number;
    });
  }
  return out;
}
