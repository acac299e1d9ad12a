import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMono16k, type EvalItem, SeededNormal } from '@speech/test-support';

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
  const noise = new SeededNormal(11);
  const room = (seconds: number) => {
    const out = new Float32Array(Math.round(seconds * RATE));
    noise.fill(out, 0.001);
    return out;
  };
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
  const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    samples.set(part, offset);
    offset += part.length;
  }
  const raw = join(dir, 'paused.f32');
  const wav = join(dir, 'paused.wav');
  writeFileSync(raw, Buffer.from(samples.buffer));
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'f32le', '-ar', String(RATE), '-ac', '1', '-i', raw, '-c:a', 'pcm_s16le', wav]);
  const duration = samples.length / RATE;
  return { wav, duration, speech, pauses: pausesBetween(speech, duration), reference: utterances.map((u) => u.reference).join(' ') };
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
