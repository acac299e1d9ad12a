import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMono16k, type EvalItem, SeededNormal, seededUniform } from '@speech/test-support';

const RATE = 16_000;

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A recording of real utterances with known pauses between them (seconds, on the recording's timeline). */
export interface PausedSpeech {
  readonly wav: string;
  readonly duration: number;
  /** Where each utterance's speech truly is. */
  readonly speech: readonly Span[];
  /** The stretches between them (and before the first / after the last). */
  readonly pauses: readonly Span[];
  readonly reference: string;
}

/**
 * The first `count` utterances of the eval set's long recording (their true bounds are known), each cut out with
 * `margin` seconds on both sides and laid end to end with `pauseSeconds` of room tone (seeded noise at −60 dBFS:
 * a pause in a real room is never digital silence) between them.
 */
export function pausedSpeech(long: EvalItem, dir: string, count: number, pauseSeconds: number, margin = 0.05): PausedSpeech {
  const source = decodeMono16k(long.audio);
  const utterances = (long.utterances ?? []).slice(0, count);
  const room = roomTone(11);
  const parts: Float32Array[] = [room(pauseSeconds)];
  const speech: Span[] = [];
  let at = pauseSeconds;
  for (const u of utterances) {
    const from = Math.max(0, Math.round((u.start - margin) * RATE));
    const to = Math.min(source.length, Math.round((u.end + margin) * RATE));
    parts.push(source.slice(from, to));
    speech.push({ start: at + (u.start * RATE - from) / RATE, end: at + (u.end * RATE - from) / RATE });
    at += (to - from) / RATE;
    parts.push(room(pauseSeconds));
    at += pauseSeconds;
  }
  const { wav, duration } = writeRecording(dir, 'paused', parts);
  return { wav, duration, speech, pauses: pausesBetween(speech, duration), reference: utterances.map((u) => u.reference).join(' ') };
}

/** Seeded room tone: noise at −60 dBFS (a pause in a real room is never digital silence), `seconds` long. */
function roomTone(seed: number): (seconds: number) => Float32Array {
  const noise = new SeededNormal(seed);
  return (seconds) => {
    const out = new Float32Array(Math.round(seconds * RATE));
    noise.fill(out, 0.001);
    return out;
  };
}

/** `parts` end to end as `<dir>/<name>.wav` (16 kHz mono 16-bit); its path and length in seconds. */
function writeRecording(dir: string, name: string, parts: readonly Float32Array[]): { wav: string; duration: number } {
  const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    samples.set(part, offset);
    offset += part.length;
  }
  const raw = join(dir, `${name}.f32`);
  const wav = join(dir, `${name}.wav`);
  writeFileSync(raw, Buffer.from(samples.buffer));
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'f32le', '-ar', String(RATE), '-ac', '1', '-i', raw, '-c:a', 'pcm_s16le', wav]);
  return { wav, duration: samples.length / RATE };
}

/** The complement of speech spans within [0, duration]. */
export function pausesBetween(speech: readonly Span[], duration: number): Span[] {
  const pauses: Span[] = [];
  let previous = 0;
  for (const span of speech) {
    if (span.start > previous) pauses.push({ start: previous, end: span.start });
    previous = Math.max(previous, span.end);
  }
  if (duration > previous) pauses.push({ start: previous, end: duration });
  return pauses;
}

/** How far (seconds) a segment reaches into the pause it overlaps most. */
export function deepestPauseOverlap(segment: Span, pauses: readonly Span[]): number {
  return Math.max(0, ...pauses.map((p) => Math.min(segment.end, p.end) - Math.max(segment.start, p.start)));
}


export interface SpeechInRunsOptions {
  /** Length of the recording, at least (seconds). */
  readonly minSeconds: number;
  /** Share of the recording that is pause (between and inside runs, by the prompts' true bounds). */
  readonly pauseShare: number;
  readonly seed: number;
}

/**
 * Real prompts (the eval set's short clips, edges already trimmed to the speech) in seeded order, said in runs of 2–5
 * with 0.25–0.6 s between them (as sentences follow each other), the runs apart by pauses drawn log-normally (median
 * 1, spread ×2.5, so most are a few seconds and some much longer) and scaled so pauses make up `pauseShare` of the
 * recording: speech that comes in bursts, as in dictation or a meeting, where the eval set's long recording puts a
 * 0.3–3 s pause after every 1–3 s prompt. Pauses are room tone (seeded noise at −60 dBFS).
 */
export function speechInRuns(prompts: readonly EvalItem[], dir: string, options: SpeechInRunsOptions): PausedSpeech {
  const random = seededUniform(options.seed);
  const order = [...prompts];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as EvalItem, order[i] as EvalItem];
  }
  const clips: Float32Array[] = [];
  const runs: number[] = [];
  let speechSeconds = 0;
  for (const prompt of order) {
    if (speechSeconds >= options.minSeconds * (1 - options.pauseShare)) break;
    const samples = decodeMono16k(prompt.audio);
    clips.push(samples);
    speechSeconds += samples.length / RATE;
  }
  const used = order.slice(0, clips.length);
  // Runs: consecutive prompts, 2–5 each; gaps inside a run, then pauses between runs sized to the pause share.
  for (let i = 0; i < clips.length; ) {
    const size = Math.min(clips.length - i, 2 + Math.floor(random() * 4));
    runs.push(size);
    i += size;
  }
  const inRunGaps = clips.map(() => 0.25 + 0.35 * random());
  const drawn = runs.map(() => Math.exp(Math.log(2.5) * gaussian(random)));
  const inRunTotal = sumInRunGaps(runs, inRunGaps);
  const pauseTotal = (speechSeconds * options.pauseShare) / (1 - options.pauseShare);
  const scale = Math.max(0, pauseTotal - inRunTotal) / drawn.reduce((sum, x) => sum + x, 0);
  const room = roomTone(options.seed + 1);
  const parts: Float32Array[] = [];
  const speech: Span[] = [];
  let at = 0;
  let clip = 0;
  runs.forEach((size, run) => {
    // The run's pause comes before it (the first one too: a recording rarely starts on a word).
    const before = room(drawn[run]! * scale);
    parts.push(before);
    at += before.length / RATE;
    for (let k = 0; k < size; k += 1, clip += 1) {
      if (k > 0) {
        const gap = room(inRunGaps[clip]!);
        parts.push(gap);
        at += gap.length / RATE;
      }
      const samples = clips[clip]!;
      parts.push(samples);
      speech.push({ start: at, end: at + samples.length / RATE });
      at += samples.length / RATE;
    }
  });
  const { wav, duration } = writeRecording(dir, 'runs', parts);
  return { wav, duration, speech, pauses: pausesBetween(speech, duration), reference: used.map((u) => u.reference).join(' ') };
}

function sumInRunGaps(runs: readonly number[], gaps: readonly number[]): number {
  let total = 0;
  let clip = 0;
  for (const size of runs) {
    for (let k = 0; k < size; k += 1, clip += 1) if (k > 0) total += gaps[clip] as number;
  }
  return total;
}

/** A standard normal draw (Box–Muller) from uniform draws. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
