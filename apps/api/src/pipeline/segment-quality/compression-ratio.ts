import { deflateSync } from 'node:zlib';

/**
 * Whisper's repetition measure (openai-whisper `utils.compression_ratio`): UTF-8 bytes over zlib-compressed bytes.
 * Node's `deflateSync` at its default level (6) writes the same zlib stream as Python's `zlib.compress`, so the
 * ratios are Whisper's own (compression-ratio.spec.ts holds values computed by Python).
 */
export function compressionRatio(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length === 0 ? 0 : bytes.length / deflateSync(bytes).length;
}
