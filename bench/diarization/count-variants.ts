/**
 * Speaker-count estimators tried against the shipped one, kept so their figures can be reproduced (bench/README.md,
 * "Speaker count variants"). Each answers labels for one conversation's window embeddings.
 *  - shipped (clusterEmbeddings): silhouette count, then a cluster split when its own halves lie apart and the
 *    spectral count agrees.
 *  - silhouette: the silhouette count alone (speaker-count.ts; shipped until Dec 4).
 *  - spectral: the NME-SC eigengap count (spectral-speaker-count.ts), labels from the tree cut at that count.
 *  - spectral±1: the silhouette's choice among the spectral count and its neighbours.
 *  - split: silhouette, then splits (split-merged-voices.ts) without the spectral count's consent.
 * Tried Dec 4 for longer-span counting features from the same GE2E windows (none beat shipped on seeds 1–40):
 *  - span3: the shipped count on means of 3 consecutive windows of a region (~2.4 s of voice each), window labels
 *    from the tree cut at that count (2, 4, 6, 8 windows scored 34, 32, 32, 30 of 40).
 *  - vote: the median of the silhouette, spectral and shipped counts.
 *  - centred: the shipped estimator after removing half the conversation's mean embedding (the part every voice
 *    shares: channel, band); alpha 0.8 and 1 scored 34/40.
 */
import { clusterEmbeddings, clusteringTree, ESTIMATE_MIN_CLUSTER_SHARE } from '../../apps/api/src/diarization/agglomerative-clustering';
import { spectralSpeakerCount } from '../../apps/api/src/diarization/spectral-speaker-count';
import { cosineDistances, DEFAULT_MAX_SPEAKERS, estimateSpeakerCount, meanSilhouette } from '../../apps/api/src/diarization/speaker-count';
import type { EmbeddingWindow } from '../../apps/api/src/diarization/embedding-windows';
import { splitMergedVoices } from '../../apps/api/src/diarization/split-merged-voices';

export type CountVariant = (embeddings: Float32Array[], windows: readonly EmbeddingWindow[]) => number[];

const silhouette = (embeddings: Float32Array[]): number[] => estimateSpeakerCount(embeddings, clusteringTree(embeddings, ESTIMATE_MIN_CLUSTER_SHARE).labelsForCount).labels;

export const COUNT_VARIANTS: Record<string, CountVariant> = {
  shipped: (embeddings) => clusterEmbeddings(embeddings, {}),
  // A fixed cosine-distance cut (what the model container does when the count is not given): threshold0.5 etc.
  ...Object.fromEntries([0.5, 0.55, 0.6, 0.65, 0.7].map((t) => [`threshold${t}`, (embeddings: readonly Float32Array[]) => clusterEmbeddings(embeddings, { threshold: t })])),
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
  span3: (embeddings, windows) => {
    const count = new Set(clusterEmbeddings(regionSpanMeans(embeddings, windows, 3), {})).size;
    return clusteringTree(embeddings, 0.05).labelsForCount(count);
  },
  vote: (embeddings) => {
    const tree = clusteringTree(embeddings, ESTIMATE_MIN_CLUSTER_SHARE);
    const shipped = clusterEmbeddings(embeddings, {});
    const counts = [estimateSpeakerCount(embeddings, tree.labelsForCount).count, spectralSpeakerCount(embeddings, DEFAULT_MAX_SPEAKERS), new Set(shipped).size];
    const median = counts.sort((a, b) => a - b)[1];
    return median === new Set(shipped).size ? shipped : tree.labelsForCount(median);
  },
  centred: (embeddings) => {
    const mean = new Float32Array(embeddings[0].length);
    for (const e of embeddings) for (let d = 0; d < mean.length; d++) mean[d] += e[d] / embeddings.length;
    return clusterEmbeddings(embeddings.map((e) => unit(e.map((x, d) => x - 0.5 * mean[d]))), {});
  },
};

function unit(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** Means of `size` consecutive windows (one region's only; the last span of a region may be shorter), unit length. */
function regionSpanMeans(embeddings: readonly Float32Array[], windows: readonly EmbeddingWindow[], size: number): Float32Array[] {
  const spans: Float32Array[] = [];
  for (let i = 0; i < windows.length; ) {
    const sum = new Float32Array(embeddings[i].length);
    let j = i;
    for (; j < windows.length && j < i + size && windows[j].region === windows[i].region; j++) {
      for (let d = 0; d < sum.length; d++) sum[d] += embeddings[j][d];
    }
    spans.push(unit(sum));
    i = j;
  }
  return spans;
}

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
