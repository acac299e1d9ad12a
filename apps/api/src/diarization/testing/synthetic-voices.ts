/** Test helpers: speaker embeddings in miniature, reproducible from a seed (no model, no audio). */

/** A seeded linear congruential generator: values in [−0.5, 0.5), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
}

export interface SyntheticVoiceOptions {
  readonly seed: number;
  readonly jitter: number;
  readonly dims?: number;
  /** Each speaker's direction (the first components; the rest 0). Default: speaker s points along axis s. */
  readonly directions?: readonly (readonly number[])[];
}

/** One unit vector per entry of `plan` (the speaker of each window): that speaker's direction plus seeded jitter. */
export function syntheticVoices(plan: readonly number[], { seed, jitter, dims = 16, directions }: SyntheticVoiceOptions): Float32Array[] {
  const random = seededRandom(seed);
  return plan.map((speaker) => {
    const v = new Float32Array(dims);
    if (directions) directions[speaker].forEach((x, d) => (v[d] = x));
    else v[speaker] = 1;
    for (let d = 0; d < dims; d++) v[d] += jitter * random();
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}
