import type { TimeSpan } from './speech-span';

/**
 * Where speaker embeddings are taken: 1.6 s windows (the encoder's training length, 160 mel frames) every 0.4 s inside
 * each speech region. A region shorter than a window gets one window of its own length, since padding it with
 * neighbouring audio would mix in the pause or the next speaker. Regions shorter than MIN_WINDOW_SECONDS carry too
 * little voice for a stable embedding; their speaker comes from the nearest labelled neighbour instead.
 */
export const WINDOW_SECONDS = 1.6;
export const STEP_SECONDS = 0.4;
export const MIN_WINDOW_SECONDS = 0.4;

export interface EmbeddingWindow extends TimeSpan {
  /** Index of the speech region it lies in. */
  readonly region: number;
}

export function planEmbeddingWindows(regions: readonly TimeSpan[]): EmbeddingWindow[] {
  const windows: EmbeddingWindow[] = [];
  for (const [index, region] of regions.entries()) {
    const length = region.end - region.start;
    if (length < MIN_WINDOW_SECONDS) continue;
    if (length <= WINDOW_SECONDS) {
      windows.push({ start: region.start, end: region.end, region: index });
      continue;
    }
    const count = Math.ceil((length - WINDOW_SECONDS) / STEP_SECONDS) + 1;
    for (let i = 0; i < count; i++) {
      // The last window is pulled back to end at the region's end, so no tail is left out or padded.
      const start = Math.min(region.start + i * STEP_SECONDS, region.end - WINDOW_SECONDS);
      windows.push({ start, end: start + WINDOW_SECONDS, region: index });
    }
  }
  return windows;
}
