import { cosineDistances, meanSilhouette, widestCentreDistance } from './speaker-count';

/**
 * The second look after the silhouette count: a cluster that itself splits into two far-apart halves holds two
 * voices. The silhouette over all windows under-counts when two voices are close to each other and far from the rest
 * (the nearest *other* cluster is then near for every window of both, and the two-voice cut scores lower than the
 * merged one); inside the one cluster that dilution is gone. With the GE2E encoder it turned 6 under-counts of bench
 * seeds 1–40 into 2; with CAM++ the silhouette count alone already holds there, and the rule is kept as a second
 * look. It could split single voices, so clusterEmbeddings() takes a split only when the spectral count agrees.
 *  - LOCAL_SILHOUETTE: set on GE2E (a split of one voice scored up to ~0.36, true two-voice splits 0.37–0.44); the
 *    CAM++ counts on seeds 1–40, 100–119 and 200–219 are the same at 0.35 with SPLIT_CENTRES 0.25 or 0.3.
 *  - SPLIT_CENTRES: on CAM++ embeddings the centres (cosine distance) of real voice pairs in the bench conversations
 *    lie ≥ 0.39 apart, a single voice's two halves ≤ 0.22 (bench/diarization/threshold-probe.ts): the middle is kept.
 */
export const LOCAL_SILHOUETTE = 0.35;
export const SPLIT_CENTRES = 0.3;

/**
 * `labels` (0 … k−1) with each cluster that splits well cut in two, the best split first, while fewer than
 * `maxSpeakers`. `splitInTwo` cuts a cluster's windows into two speaker-sized halves (labels 0/1), or answers one
 * label when it cannot; the clustering tree owns what "speaker-sized" means.
 */
export function splitMergedVoices(
  embeddings: readonly Float32Array[],
  labels: readonly number[],
  splitInTwo: (members: readonly Float32Array[]) => number[],
  maxSpeakers: number,
): number[] {
  const result = [...labels];
  for (let count = Math.max(...result) + 1; count < maxSpeakers; count++) {
    let best: { score: number; members: number[]; halves: number[] } | undefined;
    for (let cluster = 0; cluster < count; cluster++) {
      const members = result.flatMap((label, i) => (label === cluster ? [i] : []));
      const vectors = members.map((i) => embeddings[i]);
      const halves = splitInTwo(vectors);
      if (new Set(halves).size !== 2) continue;
      const score = meanSilhouette(cosineDistances(vectors), vectors.length, halves);
      const apart = widestCentreDistance(vectors, halves);
      if (score >= LOCAL_SILHOUETTE && apart >= SPLIT_CENTRES && (!best || score > best.score)) best = { score, members, halves };
    }
    if (!best) break;
    const { members, halves } = best;
    members.forEach((i, j) => {
      if (halves[j] === 1) result[i] = count;
    });
  }
  return result;
}
