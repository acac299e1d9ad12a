import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A WAV header with no samples: a valid container holding zero audio. */
export function zeroLengthWav(): Buffer {
  return wavHeader(1, 0);
}

/** A WAV whose format tag names a codec no decoder knows. */
export function unknownCodecWav(): Buffer {
  return Buffer.concat([wavHeader(0x2222, 16000), Buffer.alloc(16000, 0x11)]);
}

function wavHeader(formatTag: number, dataBytes: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(formatTag, 20);
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(16000, 24);
  header.writeUInt32LE(32000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** The 8-byte PNG signature and an IHDR chunk: an image, whatever it is called. */
export function pngBytes(): Buffer {
  return Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a5a90000000049454e44ae426082', 'hex');
}

export function truncated(path: string, bytes: number): Buffer {
  return readFileSync(path).subarray(0, bytes);
}

export function writeTemp(dir: string, name: string, content: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
