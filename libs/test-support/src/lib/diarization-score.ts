/**
 * Diarization error rate, NIST-style: (missed speech + false alarm + speaker confusion) / reference speech time,
 * on a 10 ms grid, with the one-to-one reference↔hypothesis speaker mapping that maximises overlap, and an optional
 * no-score collar around every reference boundary (0.25 s is the usual "forgiving" setting). Overlapped speech counts
 * (each reference speaker in a frame is one unit). diarization-score.spec.ts pins it against figures from
 * pyannote.metrics.
 */
export interface LabelledSpan {
  readonly start: number;
  readonly end: number;
  readonly speaker: string;
}

export interface DerBreakdown {
  readonly der: number;
  readonly missed: number;
  readonly falseAlarm: number;
  readonly confusion: number;
  /** Seconds of reference speech scored (speaker-weighted). */
  readonly total: number;
}

const FRAME = 0.01;

export function diarizationErrorRate(reference: readonly LabelledSpan[], hypothesis: readonly LabelledSpan[], collar = 0): DerBreakdown {
  const end = Math.max(0, ...reference.map((s) => s.end), ...hypothesis.map((s) => s.end));
  const frames = Math.ceil(end / FRAME) + 1;
  const refSpeakers = [...new Set(reference.map((s) => s.speaker))];
  const hypSpeakers = [...new Set(hypothesis.map((s) => s.speaker))];
  const grid = (spans: readonly LabelledSpan[], speakers: string[]) => {
    const active = speakers.map(() => new Uint8Array(frames));
    for (const s of spans) {
      const row = active[speakers.indexOf(s.speaker)];
      for (let f = Math.round(s.start / FRAME); f < Math.min(frames, Math.round(s.end / FRAME)); f++) row[f] = 1;
    }
    return active;
  };
  const ref = grid(reference, refSpeakers);
  const hyp = grid(hypothesis, hypSpeakers);
  const scored = new Uint8Array(frames).fill(1);
  if (collar > 0) {
    for (const s of reference) {
      for (const edge of [s.start, s.end]) {
        for (let f = Math.max(0, Math.round((edge - collar) / FRAME)); f < Math.min(frames, Math.round((edge + collar) / FRAME)); f++) scored[f] = 0;
      }
    }
  }
  const overlapFrames = refSpeakers.map((_, r) => hypSpeakers.map((_, h) => {
    let n = 0;
    for (let f = 0; f < frames; f++) if (scored[f] && ref[r][f] && hyp[h][f]) n++;
    return n;
  }));
  const mapping = bestMapping(overlapFrames);
  let missed = 0;
  let falseAlarm = 0;
  let confusion = 0;
  let total = 0;
  for (let f = 0; f < frames; f++) {
    if (!scored[f]) continue;
    const nRef = ref.reduce((n, row) => n + row[f], 0);
    const nHyp = hyp.reduce((n, row) => n + row[f], 0);
    let correct = 0;
    mapping.forEach((h, r) => {
      if (h >= 0 && ref[r][f] && hyp[h][f]) correct++;
    });
    total += nRef;
    missed += Math.max(0, nRef - nHyp);
    falseAlarm += Math.max(0, nHyp - nRef);
    confusion += Math.min(nRef, nHyp) - correct;
  }
  const seconds = (n: number) => n * FRAME;
  return {
    der: total === 0 ? 0 : (missed + falseAlarm + confusion) / total,
    missed: seconds(missed),
    falseAlarm: seconds(falseAlarm),
    confusion: seconds(confusion),
    total: seconds(total),
  };
}

/** Reference index → hypothesis index (−1: unmapped), maximising total overlap; exhaustive, fine for ≤ 8 speakers. */
function bestMapping(overlap: number[][]): number[] {
  const refs = overlap.length;
  const hyps = refs > 0 ? overlap[0].length : 0;
  let best: number[] = new Array(refs).fill(-1);
  let bestScore = -1;
  const used = new Array<boolean>(hyps).fill(false);
  const current: number[] = [];
  const search = (r: number, score: number) => {
    if (r === refs) {
      if (score > bestScore) {
        bestScore = score;
        best = [...current];
      }
      return;
    }
    current.push(-1);
    search(r + 1, score);
    current.pop();
    for (let h = 0; h < hyps; h++) {
      if (used[h]) continue;
      used[h] = true;
      current.push(h);
      search(r + 1, score + overlap[r][h]);
      current.pop();
      used[h] = false;
    }
  };
  search(0, 0);
  return best;
}

export function parseRttm(text: string): LabelledSpan[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('SPEAKER'))
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      const start = Number(fields[3]);
      return { start, end: start + Number(fields[4]), speaker: fields[7] };
    });
}

/** Where anyone speaks: the union of the labelled spans, merged where they touch or overlap ("oracle" speech regions). */
export function speechUnion(spans: readonly LabelledSpan[]): { start: number; end: number }[] {
  const merged: { start: number; end: number }[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end });
  }
  return merged;
}
