import { symmetricEigenvalues } from './symmetric-eigenvalues';

/**
 * A second, independent opinion on the speaker count: NME-SC (Park et al. 2019, "Auto-tuning spectral clustering for
 * speaker diarization using normalized maximum eigengap"). Each window keeps its p most similar windows (binarised
 * affinity, symmetrised), and the count is where the Laplacian's eigenvalues jump most; p itself is chosen where that
 * jump, relative to the largest eigenvalue, is widest for the pruning done. Alone it counted worse than the
 * silhouette on bench seeds 1–40 (32 vs 34 of 40); it is used to confirm a split (split-merged-voices.ts), since it
 * errs on other conversations than the silhouette does.
 * O(p_max · n³): above MAX_SPECTRAL_WINDOWS windows an evenly spaced sample is counted (the bench's minute-long
 * conversations have 64–120 windows; an hour would otherwise take minutes).
 */
export const MAX_SPECTRAL_WINDOWS = 160;

export function spectralSpeakerCount(embeddings: readonly Float32Array[], maxSpeakers: number): number {
  const stride = Math.max(1, embeddings.length / MAX_SPECTRAL_WINDOWS);
  const sample = Array.from({ length: Math.min(embeddings.length, MAX_SPECTRAL_WINDOWS) }, (_, i) => embeddings[Math.floor(i * stride)]);
  const n = sample.length;
  if (n < 3) return 1;
  const similarity = sample.map((a) => sample.map((b) => a.reduce((sum, x, d) => sum + x * b[d], 0)));
  const nearest = similarity.map((row) => row.map((s, j) => [s, j]).sort((a, b) => b[0] - a[0]).map(([, j]) => j));
  let best = { ratio: Infinity, count: 1 };
  for (let p = 2; p <= Math.max(2, Math.floor(n / 4)); p++) {
    const kept = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let r = 0; r < p; r++) kept[i * n + nearest[i][r]] = 1;
    const laplacian = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const a = (kept[i * n + j] + kept[j * n + i]) / 2;
        laplacian[i * n + j] -= a;
        laplacian[i * n + i] += a;
      }
    }
    const eigenvalues = symmetricEigenvalues(laplacian, n);
    const gaps = Array.from({ length: Math.min(maxSpeakers, n - 1) }, (_, i) => eigenvalues[i + 1] - eigenvalues[i]);
    const widest = Math.max(...gaps);
    const ratio = p / (widest / (eigenvalues[n - 1] + 1e-10));
    if (ratio < best.ratio) best = { ratio, count: gaps.indexOf(widest) + 1 };
  }
  return best.count;
}
