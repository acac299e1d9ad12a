/**
 * Writes the samples of the count-tuning conversations (16 kHz mono float32, raw little-endian) beside their cached
 * GE2E embeddings, so another encoder can embed the very same windows (campplus_recache.py):
 *   node scripts/run-ts.mjs bench/diarization/export-conversation-audio.ts [--sets 1-40,100-119,200-219] [--seconds 60]
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { buildConversation, diarizationVoices } from '@speech/test-support';

import { cachedConversations, EMBEDDING_CACHE } from './embedding-cache';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};

async function main(): Promise<void> {
  const seconds = Number(arg('--seconds', '60'));
  const seeds = arg('--sets', '1-40,100-119,200-219')
    .split(',')
    .flatMap((set) => {
      const [first, last] = set.split('-').map(Number);
      return Array.from({ length: last - first + 1 }, (_, i) => first + i);
    });
  // The windows come from the GE2E cache: embed whatever it lacks first.
  await cachedConversations(seeds, seconds);
  const voices = diarizationVoices();
  for (const seed of seeds) {
    const file = path.join(EMBEDDING_CACHE, `s${seed}-${seconds}s.f32`);
    if (existsSync(file)) continue;
    const { samples } = buildConversation(voices, seed, seconds);
    writeFileSync(file, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  }
  console.log(`${seeds.length} conversations' samples under ${EMBEDDING_CACHE}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
