/**
 * A complex FFT for lengths that factor into small primes (the speaker encoder's 400-point frames: 4·4·5·5), by
 * recursive decimation in time. ~7 k complex multiply-adds per 400-point frame instead of a direct DFT's 160 k.
 */
export class MixedRadixFft {
  private readonly factors: number[];
  private readonly twiddleRe: Float64Array;
  private readonly twiddleIm: Float64Array;
  private readonly scratchRe: Float64Array;
  private readonly scratchIm: Float64Array;

  constructor(readonly size: number) {
    this.factors = factorize(size);
    this.twiddleRe = Float64Array.from({ length: size }, (_, e) => Math.cos((-2 * Math.PI * e) / size));
    this.twiddleIm = Float64Array.from({ length: size }, (_, e) => Math.sin((-2 * Math.PI * e) / size));
    const widest = Math.max(1, ...this.factors);
    this.scratchRe = new Float64Array(widest);
    this.scratchIm = new Float64Array(widest);
  }

  /** out = DFT(in); `in` and `out` must be different arrays of length `size`. */
  transform(inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.step(inRe, inIm, 0, 1, this.size, outRe, outIm, 0, 0);
  }

  private step(inRe: Float64Array, inIm: Float64Array, inOffset: number, inStride: number, n: number,
    outRe: Float64Array, outIm: Float64Array, outOffset: number, level: number): void {
    if (n === 1) {
      outRe[outOffset] = inRe[inOffset];
      outIm[outOffset] = inIm[inOffset];
      return;
    }
    const p = this.factors[level];
    const m = n / p;
    for (let q = 0; q < p; q++) {
      this.step(inRe, inIm, inOffset + q * inStride, inStride * p, m, outRe, outIm, outOffset + q * m, level + 1);
    }
    const unit = this.size / n; // W_n^e = W_size^(e·unit)
    const tRe = this.scratchRe;
    const tIm = this.scratchIm;
    for (let k = 0; k < m; k++) {
      for (let q = 0; q < p; q++) {
        const e = (q * k * unit) % this.size;
        const yRe = outRe[outOffset + q * m + k];
        const yIm = outIm[outOffset + q * m + k];
        tRe[q] = yRe * this.twiddleRe[e] - yIm * this.twiddleIm[e];
        tIm[q] = yRe * this.twiddleIm[e] + yIm * this.twiddleRe[e];
      }
      for (let s = 0; s < p; s++) {
        let sumRe = 0;
        let sumIm = 0;
        for (let q = 0; q < p; q++) {
          const e = ((q * s) % p) * (this.size / p); // W_p^(q·s)
          sumRe += tRe[q] * this.twiddleRe[e] - tIm[q] * this.twiddleIm[e];
          sumIm += tRe[q] * this.twiddleIm[e] + tIm[q] * this.twiddleRe[e];
        }
        outRe[outOffset + k + s * m] = sumRe;
        outIm[outOffset + k + s * m] = sumIm;
      }
    }
  }
}

function factorize(n: number): number[] {
  const factors: number[] = [];
  let rest = n;
  for (const p of [4, 2, 3, 5, 7]) {
    while (rest % p === 0) {
      factors.push(p);
      rest /= p;
    }
  }
  if (rest !== 1) throw new Error(`MixedRadixFft: ${n} has a prime factor above 7`);
  return factors;
}
