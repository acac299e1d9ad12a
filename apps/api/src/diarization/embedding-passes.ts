import type { EmbeddingWindow } from './embedding-windows';
import type { TimeSpan } from './speech-span';

/**
 * How the encoder walks a speech region: in passes of at most MAX_PASS_SECONDS, each holding whole windows, so one
 * pass's filter bank and activations stay small (CAM++ keeps ~0.5 MB of activations per second of input) however long
 * somebody talks without a pause. A pass starts at the first window not yet taken and takes every window that ends
 * inside it. The model container plans passes the same way (runtime/diarization), held by the parity test.
 */
export const MAX_PASS_SECONDS = 30;

export interface EmbeddingPass extends TimeSpan {
  /** Indices into the windows array, in order. */
  readonly windows: number[];
}

/** Passes over `windows` (planEmbeddingWindows() order: by region, then by start) within `regions`. */
export function planEmbeddingPasses(regions: readonly TimeSpan[], windows: readonly EmbeddingWindow[]): EmbeddingPass[] {
  const passes: EmbeddingPass[] = [];
  let next = 0;
  while (next < windows.length) {
    const first = windows[next];
    const start = first.start;
    const end = Math.min(regions[first.region].end, start + MAX_PASS_SECONDS);
    const taken = [next++];
    while (next < windows.length && windows[next].region === first.region && windows[next].end <= end + 1e-9) taken.push(next++);
    passes.push({ start, end, windows: taken });
  }
  return passes;
}
