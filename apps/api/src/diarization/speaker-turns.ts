import { speakerLabel, type SpeakerTurn, type TimeSpan } from './speech-span';

/** Turn boundaries are resolved on a 10 ms grid: finer than any word boundary a transcript carries. */
const FRAME_SECONDS = 0.01;
/** A speaker run shorter than this inside a region is noise from one window, not a turn: it joins its neighbour. */
export const MIN_TURN_SECONDS = 0.5;

/**
 * Speaker turns from labelled embedding windows. Inside each speech region every 10 ms frame takes the label of the
 * covering window whose centre is nearest (overlapping windows vote by proximity); a region with no window of its own
 * (too short to embed) takes the label of the nearest window. Runs shorter than MIN_TURN_SECONDS are absorbed by the
 * longer neighbour. Labels are renamed "A", "B", … in order of first appearance, or by `names[cluster]` when given.
 */
export function speakerTurns(
  regions: readonly TimeSpan[],
  windows: readonly TimeSpan[],
  labels: readonly number[],
  names?: ReadonlyMap<number, string>,
): SpeakerTurn[] {
  if (windows.length === 0) return [];
  const centres = windows.map((w) => (w.start + w.end) / 2);
  const runs: { start: number; end: number; cluster: number }[] = [];
  for (const region of regions) {
    const frames = Math.max(1, Math.round((region.end - region.start) / FRAME_SECONDS));
    const frameLabels = new Array<number>(frames);
    for (let f = 0; f < frames; f++) {
      const t = region.start + (f + 0.5) * FRAME_SECONDS;
      frameLabels[f] = labels[nearestWindow(t, windows, centres)];
    }
    const regionRuns = absorbShortRuns(toRuns(frameLabels), Math.round(MIN_TURN_SECONDS / FRAME_SECONDS));
    for (const run of regionRuns) {
      runs.push({
        start: region.start + run.first * FRAME_SECONDS,
        end: Math.min(region.end, region.start + (run.last + 1) * FRAME_SECONDS),
        cluster: run.label,
      });
    }
  }
  const order = new Map<number, string>();
  return runs.map((run) => {
    if (!order.has(run.cluster)) order.set(run.cluster, names?.get(run.cluster) ?? speakerLabel(order.size));
    return { start: round(run.start), end: round(run.end), speaker: order.get(run.cluster) as string };
  });
}

function nearestWindow(t: number, windows: readonly TimeSpan[], centres: readonly number[]): number {
  let best = 0;
  let bestScore = Infinity;
  for (let i = 0; i < windows.length; i++) {
    const covers = t >= windows[i].start && t < windows[i].end;
    // Covering windows always beat non-covering ones; among each kind the nearest centre wins.
    const score = Math.abs(t - centres[i]) + (covers ? 0 : 1e6);
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

interface Run {
  first: number;
  last: number;
  label: number;
}

function toRuns(frameLabels: readonly number[]): Run[] {
  const runs: Run[] = [];
  frameLabels.forEach((label, f) => {
    const current = runs[runs.length - 1];
    if (current && current.label === label) current.last = f;
    else runs.push({ first: f, last: f, label });
  });
  return runs;
}

function absorbShortRuns(runs: Run[], minFrames: number): Run[] {
  const result = runs.map((r) => ({ ...r }));
  for (;;) {
    let shortest = -1;
    for (let i = 0; i < result.length; i++) {
      const length = result[i].last - result[i].first + 1;
      if (result.length > 1 && length < minFrames && (shortest < 0 || length < result[shortest].last - result[shortest].first + 1)) {
        shortest = i;
      }
    }
    if (shortest < 0) return result;
    const before = result[shortest - 1];
    const after = result[shortest + 1];
    const into = !after || (before && before.last - before.first >= after.last - after.first) ? before : after;
    into.first = Math.min(into.first, result[shortest].first);
    into.last = Math.max(into.last, result[shortest].last);
    result.splice(shortest, 1);
    // Two neighbours with the same label now touch: join them.
    for (let i = result.length - 1; i > 0; i--) {
      if (result[i].label === result[i - 1].label) {
        result[i - 1].last = result[i].last;
        result.splice(i, 1);
      }
    }
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
