import { open } from 'node:fs/promises';

/**
 * 16 kHz mono samples read by range, so diarization holds one speech region (and one block of energy frames) in
 * memory at a time, not the recording: a 4-hour job is 920 MB of float samples but a few MB of regions and windows.
 */
export interface SampleSource {
  /** Samples in all. */
  readonly length: number;
  /** Samples [start, end), clamped to the recording. */
  read(start: number, end: number): Promise<Float32Array>;
}

export function inMemory(samples: Float32Array): SampleSource {
  return { length: samples.length, read: async (start, end) => samples.subarray(Math.max(0, start), Math.min(samples.length, end)) };
}

const BYTES_PER_SAMPLE = 4;

/** The decoded audio file (raw f32le): read by range with positional reads; `close()` when done. */
export async function pcmFileSource(path: string): Promise<SampleSource & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  const length = Math.floor((await handle.stat()).size / BYTES_PER_SAMPLE);
  return {
    length,
    async read(start, end) {
      const from = Math.max(0, start);
      const to = Math.min(length, end);
      const bytes = Buffer.alloc(Math.max(0, to - from) * BYTES_PER_SAMPLE);
      if (bytes.length > 0) await handle.read(bytes, 0, bytes.length, from * BYTES_PER_SAMPLE);
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / BYTES_PER_SAMPLE);
    },
    close: () => handle.close(),
  };
}
