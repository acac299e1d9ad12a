import { execFileSync } from 'node:child_process';

/** Any audio file as 16 kHz mono float32 samples (ffmpeg), for tests and benches that work on samples in memory. */
export function decodeMono16k(file: string): Float32Array {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-ac', '1', '-ar', '16000', '-'], { maxBuffer: 1 << 30 });
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
}
