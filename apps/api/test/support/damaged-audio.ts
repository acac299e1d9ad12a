import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Reproducible garbage: a stream of bytes named `seed` (SHA-256 in counter mode), as numbers in [0, 1). */
export function seededRandom(seed: string): () => number {
  let block = Buffer.alloc(0);
  let counter = 0;
  let offset = 0;
  return () => {
    if (offset >= block.length) {
      block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      offset = 0;
    }
    return block[offset++]! / 256;
  };
}

/** The file with bytes [from, to) (fractions of its size) replaced by seeded garbage: the header and the tail stay. */
export function damagedCopy(path: string, from: number, to: number): Buffer {
  const bytes = Buffer.from(readFileSync(path));
  // Seeded by the file's name, not its path: the same garbage in every checkout (a path-seeded run differed in CI).
  const random = seededRandom(`${basename(path)}-${from}-${to}`);
  for (let index = Math.floor(bytes.length * from); index < Math.floor(bytes.length * to); index += 1) bytes[index] = Math.floor(random() * 256);
  return bytes;
}
