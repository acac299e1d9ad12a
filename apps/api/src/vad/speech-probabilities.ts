import { open } from 'node:fs/promises';
import { type SpeechDetector, VAD_FRAME_SAMPLES } from './speech-detector.port';

const BYTES_PER_SAMPLE = 4;
/** Frames read from a file at a time: ~32 s of audio, 2 MB, so memory stays flat whatever the length. */
const FRAMES_PER_BLOCK = 1000;

/** Probabilities of every 512-sample frame of 16 kHz mono audio; the last partial frame is zero-padded (as the reference does). */
export async function speechProbabilities(audio: Float32Array, detector: SpeechDetector, signal?: AbortSignal): Promise<Float32Array> {
  const frames = Math.ceil(audio.length / VAD_FRAME_SAMPLES);
  const out = new Float32Array(frames);
  const pass = detector.open();
  for (let first = 0; first < frames; first += FRAMES_PER_BLOCK) {
    signal?.throwIfAborted();
    const count = Math.min(FRAMES_PER_BLOCK, frames - first);
    const block = new Float32Array(count * VAD_FRAME_SAMPLES);
    block.set(audio.subarray(first * VAD_FRAME_SAMPLES, (first + count) * VAD_FRAME_SAMPLES));
    out.set(await pass.score(block), first);
  }
  return out;
}

/**
 * The same over a raw f32le mono 16 kHz file (the normalized audio's format), read in ~2 MB blocks. Returns the
 * probabilities (4 bytes per 32 ms: ~450 kB per audio hour) and the file's length in samples.
 */
export async function speechProbabilitiesOfFile(pcmPath: string, detector: SpeechDetector, signal?: AbortSignal): Promise<{ probabilities: Float32Array; samples: number }> {
  const file = await open(pcmPath, 'r');
  try {
    const samples = Math.floor((await file.stat()).size / BYTES_PER_SAMPLE);
    const frames = Math.ceil(samples / VAD_FRAME_SAMPLES);
    const probabilities = new Float32Array(frames);
    const pass = detector.open();
    const bytes = Buffer.alloc(FRAMES_PER_BLOCK * VAD_FRAME_SAMPLES * BYTES_PER_SAMPLE);
    for (let first = 0; first < frames; first += FRAMES_PER_BLOCK) {
      signal?.throwIfAborted();
      const count = Math.min(FRAMES_PER_BLOCK, frames - first);
      const wanted = Math.min(count * VAD_FRAME_SAMPLES, samples - first * VAD_FRAME_SAMPLES) * BYTES_PER_SAMPLE;
      const { bytesRead } = await file.read(bytes, 0, wanted, first * VAD_FRAME_SAMPLES * BYTES_PER_SAMPLE);
      // Buffer.alloc is 4-byte aligned: view the samples in place, zero the padding of a short last frame.
      const block = new Float32Array(bytes.buffer, bytes.byteOffset, count * VAD_FRAME_SAMPLES);
      block.fill(0, bytesRead / BYTES_PER_SAMPLE);
      probabilities.set(await pass.score(block), first);
    }
    return { probabilities, samples };
  } finally {
    await file.close();
  }
}
