/**
 * A streaming rational resampler (L/M, polyphase windowed sinc) for realtime input: 24 kHz PCM16 → 16 kHz (2/3) and
 * 8 kHz G.711 → 16 kHz (2/1). In process rather than through ffmpeg: the design keeps one loaded engine and no process
 * per session, and a realtime append is a few hundred samples that a 48-tap filter turns around in microseconds.
 *
 * Output sample n sits at t = n·M/L input samples; it is Σ x[k]·h(t − k) with h a Kaiser-windowed sinc cut off just
 * below the lower of the two Nyquist frequencies (anti-aliasing for 24 → 16 kHz, anti-imaging for 8 → 16 kHz). t − k
 * takes only L fractional values, so the L kernels are computed once. Chunks may have any size: the result is the same
 * as resampling the whole recording at once (the filter's history and the output position carry over).
 */
export class PolyphaseResampler {
  /** Output samples per `down` input samples (2/3 for 24 → 16 kHz). */
  private readonly up: number;
  private readonly down: number;
  private readonly kernels: Float32Array[];
  /** Input samples not yet fully used; `pending[0]` is input sample number `base`. */
  private pending = new Float32Array(0);
  private base = 0;
  /** Next output sample to produce. */
  private next = 0;

  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
    /** Taps each side of the centre, in input samples. */
    private readonly halfWidth = 24,
    rolloff = 0.92,
    kaiserBeta = 8.6,
  ) {
    const divisor = gcd(inputRate, outputRate);
    this.up = outputRate / divisor;
    this.down = inputRate / divisor;
    const cutoff = 0.5 * Math.min(1, this.up / this.down) * rolloff; // cycles per input sample
    this.kernels = Array.from({ length: this.up }, (_, phase) => {
      const fraction = phase / this.up;
      const kernel = new Float32Array(2 * halfWidth);
      for (let j = 0; j < 2 * halfWidth; j += 1) {
        // Tap j weighs input sample floor(t) − halfWidth + 1 + j, at distance t − k from the output instant.
        const distance = fraction + halfWidth - 1 - j;
        kernel[j] = 2 * cutoff * sinc(2 * cutoff * distance) * kaiser(distance / halfWidth, kaiserBeta);
      }
      return kernel;
    });
  }

  /** Resamples the next chunk of input; returns every output sample that chunk completes. */
  push(input: Float32Array): Float32Array {
    const joined = new Float32Array(this.pending.length + input.length);
    joined.set(this.pending);
    joined.set(input, this.pending.length);
    this.pending = joined;
    return this.drain(this.base + joined.length);
  }

  /** The end of the recording: the last outputs, computed as if silence followed. */
  flush(): Float32Array {
    const lastOutput = Math.ceil(((this.base + this.pending.length) * this.up) / this.down);
    const out: number[] = [];
    // Silence after the end lets the filter finish the outputs that still lie inside the recording.
    const padded = new Float32Array(this.pending.length + 2 * this.halfWidth);
    padded.set(this.pending);
    this.pending = padded;
    while (this.next < lastOutput) out.push(this.sampleAt(this.next++));
    this.pending = new Float32Array(0);
    this.base = Math.floor((this.next * this.down) / this.up);
    return Float32Array.from(out);
  }

  private drain(available: number): Float32Array {
    const out: number[] = [];
    for (;;) {
      const whole = Math.floor((this.next * this.down) / this.up);
      if (whole + this.halfWidth >= available) break;
      out.push(this.sampleAt(this.next));
      this.next += 1;
    }
    // Keep only what the next output still needs.
    const needed = Math.floor((this.next * this.down) / this.up) - this.halfWidth + 1;
    if (needed > this.base) {
      this.pending = this.pending.slice(Math.min(needed - this.base, this.pending.length));
      this.base = needed;
    }
    return Float32Array.from(out);
  }

  private sampleAt(n: number): number {
    const position = n * this.down;
    const whole = Math.floor(position / this.up);
    const kernel = this.kernels[position - whole * this.up] as Float32Array;
    const first = whole - this.halfWidth + 1;
    let sum = 0;
    for (let j = 0; j < kernel.length; j += 1) {
      const index = first + j - this.base;
      if (index >= 0 && index < this.pending.length) sum += (this.pending[index] as number) * (kernel[j] as number);
    }
    return sum;
  }
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const pix = Math.PI * x;
  return Math.sin(pix) / pix;
}

/** Kaiser window at x ∈ [-1, 1]; 0 outside. */
function kaiser(x: number, beta: number): number {
  if (Math.abs(x) > 1) return 0;
  return besselI0(beta * Math.sqrt(1 - x * x)) / besselI0(beta);
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k += 1) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
