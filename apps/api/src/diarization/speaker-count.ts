/**
 * How many people speak, when the caller does not say: each candidate count k in [min, max] is cut from the one
 * clustering tree, and the count whose clusters are the most compact and apart (mean silhouette, cosine distance)
 * wins. A plain distance threshold over-counts (one voice's windows drift apart over a minute, more so on the
 * telephone band), and the spread differs per recording; the silhouette compares each window's own cluster with its
 * nearest other one, so it does not need one global distance. One speaker has no silhouette: it is chosen when the
 * best split's cluster centres all lie closer than SINGLE_SPEAKER_CENTRES (one voice's windows are near one centre
 * however they are split; a random split's silhouette alone can look good). Tuned on bench conversations of
 * seeds 1–10 (bench/diarization/count-tuning.ts), reported on seeds 100–119 and 200–219; split-merged-voices.ts
 * then looks inside each cluster for a second voice.
 */
export interface CountBounds {
  readonly minSpeakers?: number;
  readonly maxSpeakers?: number;
}

/** Most speakers considered when no maximum is given. */
export const DEFAULT_MAX_SPEAKERS = 8;
/**
 * Cosine distance between cluster centres under which the best split is one voice (CAM++ embeddings). Measured with
 * bench/diarization/threshold-probe.ts and count-tuning: one voice alone (seven voices, both bands) splits into
 * centres ≤ 0.32 apart (k ≤ 4), while different voices of the bench conversations lie ≥ 0.39 apart; at 0.3 one voice of
 * eleven still counted 5, at 0.33 all counted 1 and the conversations' counts did not change.
 */
export const SINGLE_SPEAKER_CENTRES = 0.33;

export interface CountEstimate {
  readonly count: number;
  readonly labels: number[];
  /** Mean silhouette per candidate count (NaN for one speaker): for the bench and for logs. */
  readonly scores: ReadonlyMap<number, number>;
}

export function estimateSpeakerCount(
  embeddings: readonly Float32Array[],
  labelsForCount: (count: number) => number[],
  bounds: CountBounds = {},
): CountEstimate {
  const n = embeddings.length;
  const min = Math.max(1, bounds.minSpeakers ?? 1);
  const max = Math.max(min, Math.min(bounds.maxSpeakers ?? DEFAULT_MAX_SPEAKERS, n));
  const distance = cosineDistances(embeddings);
  const scores = new Map<number, number>();
  let best: { count: number; labels: number[]; score: number } | undefined;
  for (let k = Math.max(2, min); k <= max; k++) {
    const labels = labelsForCount(k);
    const found = new Set(labels).size;
    if (found < 2 || scores.has(found)) continue;
    const score = meanSilhouette(distance, n, labels);
    scores.set(found, score);
    if (!best || score > best.score) best = { count: found, labels, score };
  }
  if (!best || (min <= 1 && widestCentreDistance(embeddings, best.labels) < SINGLE_SPEAKER_CENTRES)) {
    return { count: 1, labels: new Array<number>(n).fill(0), scores };
  }
  return { count: best.count, labels: best.labels, scores };
}

/** Mean over windows of (b − a) / max(a, b): a the mean distance to its own cluster, b to the nearest other cluster. */
export function meanSilhouette(distance: Float64Array, n: number, labels: readonly number[]): number {
  const clusters = Math.max(...labels) + 1;
  const size = new Array<number>(clusters).fill(0);
  for (const label of labels) size[label]++;
  const sums = new Float64Array(clusters);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) if (j !== i) sums[labels[j]] += distance[i * n + j];
    const own = labels[i];
    // A window alone in its cluster scores 0 (Rousseeuw's convention).
    if (size[own] <= 1) continue;
    const a = sums[own] / (size[own] - 1);
    let b = Infinity;
    for (let c = 0; c < clusters; c++) if (c !== own && size[c] > 0) b = Math.min(b, sums[c] / size[c]);
    const denominator = Math.max(a, b);
    if (Number.isFinite(b) && denominator > 0) total += (b - a) / denominator;
  }
  return total / n;
}

export function cosineDistances(embeddings: readonly Float32Array[]): Float64Array {
  const n = embeddings.length;
  const distance = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let dot = 0;
      const a = embeddings[i];
      const b = embeddings[j];
      for (let d = 0; d < a.length; d++) dot += a[d] * b[d];
      distance[i * n + j] = 1 - dot;
      distance[j * n + i] = 1 - dot;
    }
  }
  return distance;
}

/** Cosine distance between the two furthest cluster centres (with two clusters: between their centres). */
export function widestCentreDistance(embeddings: readonly Float32Array[], labels: readonly number[]): number {
  const centres = new Map<number, Float32Array>();
  labels.forEach((label, i) => {
    const centre = centres.get(label) ?? new Float32Array(embeddings[i].length);
    for (let d = 0; d < centre.length; d++) centre[d] += embeddings[i][d];
    centres.set(label, centre);
  });
  const unit = [...centres.values()].map((c) => {
    const norm = Math.hypot(...c) || 1;
    return c.map((x) => x / norm);
  });
  return Math.max(...cosineDistances(unit));
}
