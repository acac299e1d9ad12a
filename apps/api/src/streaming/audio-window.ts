/**
 * Recent audio of a stream, addressed by absolute sample number since the stream began. The owner drops what it no
 * longer needs (dropBefore), so memory stays bounded however long the stream runs.
 */
export class AudioWindow {
  private data = new Float32Array(16_000);
  private length = 0;
  /** Absolute number of data[0]. */
  private origin = 0;

  /** Absolute number one past the last sample appended. */
  get end(): number {
    return this.origin + this.length;
  }

  get start(): number {
    return this.origin;
  }

  append(samples: Float32Array): void {
    if (this.length + samples.length > this.data.length) {
      const grown = new Float32Array(Math.max(this.data.length * 2, this.length + samples.length));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(samples, this.length);
    this.length += samples.length;
  }

  /** A copy of samples [from, to), clamped to what is held. */
  slice(from: number, to: number): Float32Array {
    const a = Math.max(from, this.origin) - this.origin;
    const b = Math.min(to, this.end) - this.origin;
    return b > a ? this.data.slice(a, b) : new Float32Array(0);
  }

  dropBefore(sample: number): void {
    const count = Math.min(Math.max(sample - this.origin, 0), this.length);
    if (count === 0) return;
    this.data.copyWithin(0, count, this.length);
    this.length -= count;
    this.origin += count;
    // Give memory back after a long turn (the buffer only ever doubled).
    if (this.data.length > 4 * Math.max(this.length, 16_000)) this.data = this.data.slice(0, Math.max(this.length * 2, 16_000));
  }

  /** Drops everything held; numbering continues. */
  clear(): void {
    this.dropBefore(this.end);
  }
}
