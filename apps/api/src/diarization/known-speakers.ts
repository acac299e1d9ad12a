import { centroid, dot } from './agglomerative-clustering';

/**
 * Below this cosine similarity a cluster is not the known speaker, however few other candidates there are. CAM++ on
 * the pyannote sample (bench/diarization/threshold-probe.ts): a reference clip scores 0.90–0.97 against its own
 * speaker's cluster, 0.48–0.58 against the other speaker's, and a voice that is not in the recording 0.23–0.24.
 */
export const KNOWN_SPEAKER_MIN_SIMILARITY = 0.75;

export interface KnownVoice {
  readonly name: string;
  /** Embeddings of the reference clip's windows. */
  readonly embeddings: readonly Float32Array[];
}

/**
 * Names clusters after known speakers: each known voice (mean of its reference clip's embeddings) goes to the
 * most similar cluster, best pair first, one cluster per name, and only above KNOWN_SPEAKER_MIN_SIMILARITY. Clusters
 * nobody claims keep letter labels, as OpenAI does for speakers outside known_speaker_names.
 */
export function nameClusters(clusterEmbeddings: ReadonlyMap<number, readonly Float32Array[]>, voices: readonly KnownVoice[]): Map<number, string> {
  const clusters = [...clusterEmbeddings.entries()].map(([id, embeddings]) => ({ id, centre: centroid(embeddings) }));
  const known = voices.filter((v) => v.embeddings.length > 0).map((v) => ({ name: v.name, centre: centroid(v.embeddings) }));
  const pairs = known.flatMap((voice) => clusters.map((cluster) => ({ voice: voice.name, cluster: cluster.id, similarity: dot(voice.centre, cluster.centre) })));
  pairs.sort((a, b) => b.similarity - a.similarity);
  const names = new Map<number, string>();
  const used = new Set<string>();
  for (const pair of pairs) {
    if (pair.similarity < KNOWN_SPEAKER_MIN_SIMILARITY) break;
    if (names.has(pair.cluster) || used.has(pair.voice)) continue;
    names.set(pair.cluster, pair.voice);
    used.add(pair.voice);
  }
  return names;
}
