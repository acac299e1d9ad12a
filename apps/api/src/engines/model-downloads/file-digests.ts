import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface FileDigests {
  readonly sha1: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

/**
 * SHA-1 (what whisper.cpp publishes for its ggml files) and SHA-256 (what we report) of a whole file, in one read.
 * Hashing after the transfer rather than during it keeps a resumed file's digests right without re-reading its head.
 */
export async function fileDigests(file: string): Promise<FileDigests> {
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    sha1.update(chunk);
    sha256.update(chunk);
    sizeBytes += chunk.length;
  }
  return { sha1: sha1.digest('hex'), sha256: sha256.digest('hex'), sizeBytes };
}
