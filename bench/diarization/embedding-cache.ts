/**
 * Window embeddings of bench conversations, computed once and kept as JSON under /tmp: the count estimate is tuned
 * on clustering alone, so each variant tried then costs milliseconds instead of an embedding pass per conversation.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  buildConversation,
  diarizationVoices,
  type LabelledSpan,
  speakerAssets,
  speechUnion,
} from '@speech/test-support';

import {
  embedSpeech,
  type EmbeddedSpeech,
} from '../../apps/api/src/diarization/diarize';
import { OnnxSpeakerEmbedder } from '../../apps/api/src/diarization/onnx-speaker-embedder';
import type { TimeSpan } from '../../apps/api/src/diarization/speech-span';

export interface CachedConversation {
  readonly id: string;
  readonly seed: number;
  readonly speakers: number;
  readonly truth: LabelledSpan[];
  readonly regions: TimeSpan[];
  readonly embedded: EmbeddedSpeech;
}

export const EMBEDDING_CACHE =
  process.env['DIARIZATION_EMBEDDING_CACHE'] ?? '/tmp/diarization-embeddings';

/** Conversations of `seeds` (~`seconds` each, oracle speech regions), embedded now or read from the cache. */
export async function cachedConversations(
  seeds: readonly number[],
  seconds: number,
): Promise<CachedConversation[]> {
  mkdirSync(EMBEDDING_CACHE, { recursive: true });
  const file = (seed: number) =>
    path.join(EMBEDDING_CACHE, `s${seed}-${seconds}s.json`);
  const missing = seeds.filter((seed) => !existsSync(file(seed)));
  if (missing.length > 0) {
    const voices = diarizationVoices();
    // SPEAKER_MODEL (as the API reads it) tries another export of the encoder; give each its own cache directory.
    const embedder = await OnnxSpeakerEmbedder.open(process.env['SPEAKER_MODEL'] ?? speakerAssets().encoder);
    for (const seed of missing) {
      const c = buildConversation(voices, seed, seconds);
      const regions = speechUnion(c.truth);
      const embedded = await embedSpeech(c.samples, regions, embedder);
      const stored = {
        id: c.id,
        seed,
        speakers: c.speakers,
        truth: c.truth,
        regions,
        embedded: {
          ...embedded,
          embeddings: embedded.embeddings.map((e) => [...e]),
        },
      };
      writeFileSync(file(seed), JSON.stringify(stored));
    }
    await embedder.close();
  }
  return seeds.map((seed) => {
    const stored = JSON.parse(readFileSync(file(seed), 'utf8'));
    return {
      ...stored,
      embedded: {
        ...stored.embedded,
        embeddings: stored.embedded.embeddings.map((e: number[]) =>
          Float32Array.from(e),
        ),
      },
    };
  });
}
