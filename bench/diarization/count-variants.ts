/**
 * Speaker-count estimators tried against the shipped one (speaker-count.ts), kept so their figures can be reproduced
 * (bench/README.md, "Speaker count variants"). Each answers labels for one conversation's window embeddings.
 *  - shipped: silhouette over the agglomerative tree's cuts plus the single-speaker rule (clusterEmbeddings).
 *  - spectral: the count from the eigengap of a p-pruned, binarised cosine affinity (NME-SC, Park et al. 2019,
 *    "Auto-tuning spectral clustering for speaker diarization using normalized maximum eigengap"), labels from the
 *    tree cut at that count.
 *  - spectral±1: the silhouette's choice among the spectral count and its neighbours.
 *  - split: the shipped count, then any cluster whose own two halves are far apart (their silhouette ≥ 0.35 inside
 *    the cluster, centres ≥ 0.17 apart) is split: the global silhouette under-counts two close voices beside far ones.
 *  - split+spectral: split's answer only when the spectral count is at least as high (two unrelated views must agree
 *    that there is one more voice), else shipped's. No parameter of its own.
 */
import {
  centroid,
  clusterEmbeddings,
  clusteringTree,
  dot,
  ESTIMATE_MIN_CLUSTER_SHARE,
} from '../../apps/api/src/diarization/agglomerative-clustering';
import {
  cosineDistances,
  DEFAULT_MAX_SPEAKERS,
  meanSilhouette,
} from '../../apps/api/src/diarization/speaker-count';
import { symmetricEigenvalues } from './symmetric-eigenvalues';

export type CountVariant = (embeddings: Float32Array[]) => number[];

export const COUNT_VARIANTS: Record<string, CountVariant> = {
  shipped: (embeddings) => clusterEmbeddings(embeddings, {}),
  spectral: (embeddings) =>
    clusteringTree(embeddings, 0.05).labelsForCount(spectralCount(embeddings)),
  'spectral±1': (embeddings) => {
    const around = spectralCount(embeddings);
    return (
      bestBySilhouette(embeddings, [around - 1, around, around + 1]) ??
      clusteringTree(embeddings, 0.05).labelsForCount(around)
    );
  },
  split: (embeddings) => splitFarHalves(embeddings, clusterEmbeddings(embeddings, {}), 0.35, 0.17),
  'split+spectral': (embeddings) => {
    const shipped = clusterEmbeddings(embeddings, {});
    const split = splitFarHalves(embeddings, shipped, 0.35, 0.17);
    const more = new Set(split).size;
    return more > new Set(shipped).size && spectralCount(embeddings) >= more ? split : shipped;
  },
};

/** NME-SC: for each p, keep each row's p most similar windows, L = D − A; the p with the smallest p / (max eigengap / λmax) wins, its argmax eigengap is the count. */
export function spectralCount(
  embeddings: readonly Float32Array[],
  maxSpeakers = DEFAULT_MAX_SPEAKERS,
): number {
  const n = embeddings.length;
  const order = embeddings.map((e) =>
    embeddings
      .map((o, j) => [dot(e, o), j])
      .sort((a, b) => b[0] - a[0])
      .map(([, j]) => j),
  );
  let best = { ratio: Infinity, count: 1 };
  for (let p = 2; p <= Math.max(2, Math.floor(n / 4)); p++) {
    const affinity = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let r = 0; r < p; r++) affinity[i * n + order[i][r]] = 1;
    const laplacian = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const a = (affinity[i * n + j] + affinity[j * n + i]) / 2;
        laplacian[i * n + j] -= a;
        laplacian[i * n + i] += a;
      }
    }
    const eigenvalues = symmetricEigenvalues(laplacian, n);
    const gaps = Array.from(
      { length: Math.min(maxSpeakers, n - 1) },
      (_, i) => eigenvalues[i + 1] - eigenvalues[i],
    );
    const widest = Math.max(...gaps);
    const ratio = p / (widest / (eigenvalues[n - 1] + 1e-10));
    if (ratio < best.ratio) best = { ratio, count: gaps.indexOf(widest) + 1 };
  }
  return best.count;
}

function bestBySilhouette(
  embeddings: Float32Array[],
  counts: readonly number[],
): number[] | undefined {
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

function splitFarHalves(
  embeddings: Float32Array[],
  labels: readonly number[],
  minSilhouette: number,
  minCentres: number,
): number[] {
  const n = embeddings.length;
  const result = [...labels];
  for (
    let count = Math.max(...result) + 1;
    count > 1 && count < DEFAULT_MAX_SPEAKERS;
    count++
  ) {
    let best:
      { score: number; members: number[]; halves: number[] } | undefined;
    for (let cluster = 0; cluster < count; cluster++) {
      const members = result.flatMap((label, i) =>
        label === cluster ? [i] : [],
      );
      const vectors = members.map((i) => embeddings[i]);
      // Each half must be speaker-sized by the whole recording's measure.
      const share = ESTIMATE_MIN_CLUSTER_SHARE;
      const halves = clusteringTree(
        vectors,
        Math.max(share, (share * n) / vectors.length),
      ).labelsForCount(2);
      if (new Set(halves).size !== 2) continue;
      const score = meanSilhouette(
        cosineDistances(vectors),
        vectors.length,
        halves,
      );
      const apart =
        1 -
        dot(
          centroid(vectors.filter((_, j) => halves[j] === 0)),
          centroid(vectors.filter((_, j) => halves[j] === 1)),
        );
      if (
        score >= minSilhouette &&
        apart >= minCentres &&
        (!best || score > best.score)
      )
        best = { score, members, halves };
    }
    if (!best) break;
    const { members, halves } = best;
    members.forEach((i, j) => {
      if (halves[j] === 1) result[i] = count;
    });
  }
  return result;
}
