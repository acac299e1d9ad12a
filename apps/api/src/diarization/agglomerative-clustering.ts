import { type CountBounds, estimateSpeakerCount } from './speaker-count';

/**
 * Average-linkage agglomerative clustering of L2-normalised embeddings by cosine distance (1 − dot product), cut so
 * that the number of *speaker-sized* clusters is right. A plain cut at k clusters fails on real audio: a few odd
 * windows (overlap, laughter, a cough) stay apart until the very top of the tree and use up the speaker budget, so
 * two real speakers get merged instead. Here clusters smaller than `minClusterShare` of the windows do not count as
 * speakers; the cut is the deepest one with the wanted count, and the leftovers join the nearest speaker's centroid.
 *  - `speakers` given: the deepest cut with exactly that many speaker-sized clusters (or the nearest count);
 *  - `threshold` given: the cut at that distance, moved until the count is inside [minSpeakers, maxSpeakers];
 *  - neither: the count estimated within [minSpeakers, maxSpeakers] (speaker-count.ts), then cut as if given.
 * O(n²) memory and O(n³) time on n windows: callers cap n (diarize.ts).
 */
export interface ClusteringOptions {
  readonly speakers?: number;
  readonly minSpeakers?: number;
  readonly maxSpeakers?: number;
  /** Cosine distance under which two clusters are one speaker; without it (and without `speakers`) the count is estimated. */
  readonly threshold?: number;
  /** Default 5 % of the windows (10 % while estimating the count), and never fewer than 2 windows. */
  readonly minClusterShare?: number;
}

/**
 * Smallest speaker-sized cluster while the count is estimated: 10 % of the windows. At 5 % a voice's telephone-band
 * stretch or an overlap region forms its own "speaker" with a good silhouette; swept 5–15 % on seeds 1–10
 * (9–11 % best there, 9/10 counts right).
 */
export const ESTIMATE_MIN_CLUSTER_SHARE = 0.1;

interface Merge {
  readonly a: number;
  readonly b: number;
  readonly distance: number;
}

export function clusterEmbeddings(embeddings: readonly Float32Array[], options: ClusteringOptions): number[] {
  if (embeddings.length === 0) return [];
  const estimating = options.speakers === undefined && options.threshold === undefined;
  const tree = clusteringTree(embeddings, options.minClusterShare ?? (estimating ? ESTIMATE_MIN_CLUSTER_SHARE : 0.05));
  if (options.speakers !== undefined) return tree.labelsForCount(options.speakers);
  if (options.threshold !== undefined) return tree.labelsAtThreshold(options.threshold, options);
  return estimateSpeakerCount(embeddings, tree.labelsForCount, options).labels;
}

/** One average-linkage tree, cut at any count or threshold without rebuilding it (the count estimate tries several). */
export interface ClusteringTree {
  labelsForCount(speakers: number): number[];
  labelsAtThreshold(threshold: number, bounds?: CountBounds): number[];
}

export function clusteringTree(embeddings: readonly Float32Array[], minClusterShare = 0.05): ClusteringTree {
  const n = embeddings.length;
  const merges = buildTree(embeddings);
  const minSize = Math.max(2, Math.ceil(minClusterShare * n));
  const counts = speakerCountsAfterEachMerge(n, merges, minSize);
  const labelsAtCut = (cut: number) => {
    const roots = replay(n, merges.slice(0, cut));
    const clusters = new Map<number, number[]>();
    roots.forEach((root, i) => clusters.set(root, [...(clusters.get(root) ?? []), i]));
    return absorbOutliers(embeddings, [...clusters.values()], minSize);
  };
  return {
    labelsForCount: (speakers) => labelsAtCut(cutForCount(counts, speakers)),
    labelsAtThreshold: (threshold, bounds = {}) => labelsAtCut(cutAtThreshold(counts, merges, threshold, bounds)),
  };
}

function buildTree(embeddings: readonly Float32Array[]): Merge[] {
  const n = embeddings.length;
  const distance = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = 1 - dot(embeddings[i], embeddings[j]);
      distance[i * n + j] = d;
      distance[j * n + i] = d;
    }
  }
  const size = new Array<number>(n).fill(1);
  const alive = Array.from({ length: n }, (_, i) => i);
  const merges: Merge[] = [];
  while (alive.length > 1) {
    let best = Infinity;
    let pa = 0;
    let pb = 1;
    for (let x = 0; x < alive.length; x++) {
      const row = alive[x] * n;
      for (let y = x + 1; y < alive.length; y++) {
        const d = distance[row + alive[y]];
        if (d < best) {
          best = d;
          pa = x;
          pb = y;
        }
      }
    }
    const a = alive[pa];
    const b = alive[pb];
    // Average linkage (UPGMA): the merged cluster's distance to k is the size-weighted mean of a's and b's.
    for (const k of alive) {
      if (k === a || k === b) continue;
      const d = (distance[a * n + k] * size[a] + distance[b * n + k] * size[b]) / (size[a] + size[b]);
      distance[a * n + k] = d;
      distance[k * n + a] = d;
    }
    size[a] += size[b];
    alive.splice(pb, 1);
    merges.push({ a, b, distance: best });
  }
  return merges;
}

/** counts[t]: speaker-sized clusters after the first t merges (counts[0]: none merged yet). */
function speakerCountsAfterEachMerge(n: number, merges: readonly Merge[], minSize: number): number[] {
  const size = new Array<number>(n).fill(1);
  let big = minSize <= 1 ? n : 0;
  const counts = [big];
  for (const { a, b } of merges) {
    big -= (size[a] >= minSize ? 1 : 0) + (size[b] >= minSize ? 1 : 0);
    size[a] += size[b];
    big += size[a] >= minSize ? 1 : 0;
    counts.push(big);
  }
  return counts;
}

function deepestCutWith(counts: readonly number[], count: number): number {
  for (let t = counts.length - 1; t >= 0; t--) if (counts[t] === count) return t;
  return -1;
}

function cutForCount(counts: readonly number[], wanted: number): number {
  // The nearest reachable count, preferring more speakers over fewer when equally near.
  const reachable = [...new Set(counts)].filter((c) => c > 0);
  const target = reachable.reduce((best, c) => {
    const d = Math.abs(c - wanted);
    const bestD = Math.abs(best - wanted);
    return d < bestD || (d === bestD && c > best) ? c : best;
  }, reachable[0] ?? 1);
  return Math.max(0, deepestCutWith(counts, target));
}

function cutAtThreshold(counts: readonly number[], merges: readonly Merge[], threshold: number, bounds: CountBounds): number {
  let cut = merges.findIndex((m) => m.distance >= threshold);
  if (cut < 0) cut = merges.length;
  const max = bounds.maxSpeakers ?? Infinity;
  const min = bounds.minSpeakers ?? 1;
  while (cut < merges.length && counts[cut] > max) cut++;
  while (cut > 0 && counts[cut] < min) cut--;
  return cut;
}

function replay(n: number, merges: readonly Merge[]): number[] {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (const { a, b } of merges) parent[find(b)] = find(a);
  return parent.map((_, i) => find(i));
}

/** Windows of clusters smaller than `minSize` join the speaker-sized cluster whose centroid is most similar. */
function absorbOutliers(embeddings: readonly Float32Array[], clusters: number[][], minSize: number): number[] {
  const big = clusters.filter((c) => c.length >= minSize);
  const kept = big.length > 0 ? big : [clusters.reduce((a, b) => (b.length > a.length ? b : a))];
  const centroids = kept.map((c) => centroid(c.map((i) => embeddings[i])));
  const labels = new Array<number>(embeddings.length).fill(-1);
  kept.forEach((c, k) => c.forEach((i) => (labels[i] = k)));
  return labels.map((label, i) => (label >= 0 ? label : nearestCentroid(embeddings[i], centroids)));
}

export function nearestCentroid(embedding: Float32Array, centroids: readonly Float32Array[]): number {
  return centroids.reduce((best, c, k) => (dot(embedding, c) > dot(embedding, centroids[best]) ? k : best), 0);
}

export function centroid(vectors: readonly Float32Array[]): Float32Array {
  const sum = new Float32Array(vectors[0].length);
  for (const v of vectors) for (let d = 0; d < v.length; d++) sum[d] += v[d];
  const norm = Math.sqrt(dot(sum, sum)) || 1;
  return sum.map((v) => v / norm);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
