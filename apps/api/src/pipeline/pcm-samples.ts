import { readFile } from 'node:fs/promises';

/** The decoded audio file (raw f32le, 16 kHz mono) as samples in memory (copied, so the array is aligned). */
export async function readPcmSamples(path: string): Promise<Float32Array> {
  const bytes = await readFile(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length - (bytes.length % 4)));
}
