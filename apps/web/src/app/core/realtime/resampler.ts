/**
 * Streaming windowed-sinc resampler (Blackman window). Linear interpolation would fold everything between
 * the output's Nyquist and the input's back into the speech band (48 kHz → 24 kHz: 12–24 kHz lands on
 * 0–12 kHz), so the kernel is a low-pass at 0.92 × the lower of the two Nyquist frequencies.
 * Input arrives in arbitrary chunks (128-frame worklet quanta); the kernel's history spans chunk borders.
 */
/** Bounds the tap cache for rate pairs with many (or irrational-looking) fractional positions. */
const MAX_CACHED_PHASES = 4096;

export class Resampler {
  private readonly step: number;
  private readonly cutoff: number;
  private readonly halfWidth: number;
  private buffer = new Float32Array(0);
  /** Absolute index (in input samples) of buffer[0]. */
  private offset = 0;
  /** Absolute input-time of the next output sample. */
  private next = 0;
  private readonly taps = new Map<number, Float32Array>();

  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
    /** Kernel half-width in output-rate samples; 32 gives a transition band of about 5 % of the output rate. */
    halfWidthAtOutput = 32,
  ) {
    if (!(inputRate > 0 && outputRate > 0)) throw new RangeError('sample rates must be positive');
    this.step = inputRate / outputRate;
    const ratio = Math.min(1, outputRate / inputRate);
    this.cutoff = 0.5 * ratio * 0.92; // cycles per input sample
    this.halfWidth = Math.ceil(halfWidthAtOutput / ratio);
  }

  /** Feeds input samples; returns the output samples that are now fully determined. */
  push(input: Float32Array): Float32Array {
    const joined = new Float32Array(this.buffer.length + input.length);
    joined.set(this.buffer);
    joined.set(input, this.buffer.length);
    this.buffer = joined;
    const end = this.offset + joined.length;
    const out: number[] = [];
    while (Math.floor(this.next) + this.halfWidth < end) {
      out.push(this.sampleAt(this.next));
      this.next += this.step;
    }
    const keepFrom = Math.max(0, Math.floor(this.next) - this.halfWidth + 1 - this.offset);
    this.buffer = this.buffer.slice(keepFrom);
    this.offset += keepFrom;
    return Float32Array.from(out);
  }

  private sampleAt(time: number): number {
    const centre = Math.floor(time);
    const taps = this.tapsFor(time - centre);
    let sum = 0;
    for (let tap = 0; tap < taps.length; tap += 1) {
      const index = centre - this.halfWidth + 1 + tap;
      const local = index - this.offset;
      if (index < 0 || local < 0) continue; // before the stream began: silence
      sum += this.buffer[local] * taps[tap];
    }
    return sum;
  }

  /**
   * The kernel's taps for one fractional position. Common rate pairs repeat few positions (48→24 kHz: one,
   * 44.1→24 kHz: 80), so they are computed once: the trigonometry would otherwise dominate the main thread.
   */
  private tapsFor(fraction: number): Float32Array {
    const key = Math.round(fraction * 1e6);
    let taps = this.taps.get(key);
    if (!taps) {
      taps = new Float32Array(2 * this.halfWidth);
      for (let tap = 0; tap < taps.length; tap += 1) taps[tap] = this.kernel(fraction + this.halfWidth - 1 - tap);
      if (this.taps.size < MAX_CACHED_PHASES) this.taps.set(key, taps);
    }
    return taps;
  }

  private kernel(distance: number): number {
    const position = distance / this.halfWidth; // -1..1
    if (Math.abs(position) >= 1) return 0;
    const window = 0.42 + 0.5 * Math.cos(Math.PI * position) + 0.08 * Math.cos(2 * Math.PI * position);
    const x = 2 * this.cutoff * distance;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    return 2 * this.cutoff * sinc * window;
  }
}
