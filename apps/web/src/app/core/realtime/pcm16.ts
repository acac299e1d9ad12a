/** Float samples (-1..1) as 16-bit signed little-endian PCM, the Realtime API's `audio/pcm` payload. */
export function toPcm16(samples: Float32Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < samples.length; index += 1) {
    const clamped = Math.max(-1, Math.min(1, samples[index]));
    view.setInt16(index * 2, Math.round(clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff), true);
  }
  return bytes;
}

/** Base64 of bytes, in chunks (String.fromCharCode(...all) overflows the call stack for long buffers). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

/** Collects samples and hands out fixed-size frames (~100 ms per `input_audio_buffer.append`). */
export class FrameBatcher {
  private pending: Float32Array = new Float32Array(0);

  constructor(private readonly frameSize: number) {}

  push(samples: Float32Array): Float32Array[] {
    const joined = new Float32Array(this.pending.length + samples.length);
    joined.set(this.pending);
    joined.set(samples, this.pending.length);
    const frames: Float32Array[] = [];
    let start = 0;
    for (; start + this.frameSize <= joined.length; start += this.frameSize) frames.push(joined.slice(start, start + this.frameSize));
    this.pending = joined.slice(start);
    return frames;
  }

  /** What is left (less than one frame), e.g. when recording stops. */
  flush(): Float32Array {
    const rest = this.pending;
    this.pending = new Float32Array(0);
    return rest;
  }
}
