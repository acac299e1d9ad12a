/**
 * Speaker-count estimators tried against the shipped one, kept so their figures can be reproduced (bench/README.md,
 * "Speaker count variants"). Each answers labels for one conversation's window embeddings.
 *  - shipped (clusterEmbeddings): silhouette count, then a cluster split when its own halves lie apart and the
 *    spectral count agrees.
 *  - silhouette: the silhouette count alone (speaker-count.ts; shipped until Dec 4).
 *  - spectral: the NME-SC eigengap count (spectral-speaker-count.ts), labels from the tree cut at that count.
 *  - spectral±1: the silhouette's choice among the spectral count and its neighbours.
 *  - split: silhouette, then splits (split-merged-voices.ts) without the spectral count's consent.
 */
import { clusterEmbeddings, clusteringTree, ESTIMATE_MIN_CLUSTER_SHARE } from '../../apps/api/src/diarization/agglomerative-clustering';
import { spectralSpeakerCount } from '../../apps/api/src/diarization/spectral-speaker-count';
import { cosineDistances, DEFAULT_MAX_SPEAKERS, estimateSpeakerCount, meanSilhouette } from '../../apps/api/src/diarization/speaker-count';
import { splitMergedVoices } from '../../apps/api/src/diarization/split-merged-voices';

export type CountVariant = (embeddings: Float32Array[]) => number[];

const silhouette: CountVariant = (embeddings) => estimateSpeakerCount(embeddings, clusteringTree(embeddings, ESTIMATE_MIN_CLUSTER_SHARE).labelsForCount).labels;

export const COUNT_VARIANTS: Record<string, CountVariant> = {
  shipped: (embeddings) => clusterEmbeddings(embeddings, {}),
  silhouette,
  spectral: (embeddings) => clusteringTree(embeddings, 0.05).labelsForCount(spectralSpeakerCount(embeddings, DEFAULT_MAX_SPEAKERS)),
  'spectral±1': (embeddings) => {
    const around = spectralSpeakerCount(embeddings, DEFAULT_MAX_SPEAKERS);
    return bestBySilhouette(embeddings, [around - 1, around, around + 1]) ?? clusteringTree(embeddings, 0.05).labelsForCount(around);
  },
  split: (embeddings) => {
    const n = embeddings.length;
    const share = ESTIMATE_MIN_CLUSTER_SHARE;
    const splitInTwo = (members: readonly Float32Array[]) => clusteringTree(members, Math.max(share, (share * n) / members.length)).labelsForCount(2);
    return splitMergedVoices(embeddings, silhouette(embeddings), splitInTwo, Math.min(DEFAULT_MAX_SPEAKERS, n));
  },
};

function bestBySilhouette(embeddings: Float32Array[], counts: readonly number[]): number[] | undefined {
  const tree = clusteringTree(embeddings, ESTIMATE_MIN_CLUSTER_SHARE);
  const distance = cosineDistances(embeddings);
  let best: { score: number; labels: number[] } | undefined;
  for (const count of counts.filter((k) => k >= 2)) {
    const labels = tree.labelsForCount(count);
    if (new Set(labels).size !== count) continue;
    const score = meanSilhouette(distance, embeddings.length, labels);
    if (!best || score > best.score) best = { score, labels };
  }
  return best?.labels;
}
