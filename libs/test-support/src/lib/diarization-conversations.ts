/**
 * Scripted conversations with exact speaker truth, mixed from real recorded prompts of seven different people
 * (bench/diarization/build_voices.py, via diarizationVoices()). One seed fixes everything about a conversation:
 *  - speakers: 2, 3 or 4 (seed mod 3), cast from the pool: a "wide" conversation casts only 16 kHz voices, a "tel"
 *    one casts from all seven and plays every voice at 8 kHz bandwidth, so bandwidth never tells two people apart;
 *  - turns: lengths drawn log-uniformly from 1–12 s (short turns are common, as in real talk), filled with the voice's
 *    prompts separated by 0.1–0.3 s breaths; the next speaker is usually the one who has said least so far;
 *  - between turns: a 0.2–1.2 s pause, or in OVERLAP_SHARE of them the next speaker starts 0.1–0.5 s before the
 *    previous one ends (both are speaking there, and the truth says so);
 *  - a −60 dBFS noise floor under everything, so pauses are not digital silence.
 * The truth is one span per prompt (each prompt is cut to its voiced span by build_voices.py).
 */
import { seededUniform } from './seeded-random';
import type { LabelledSpan } from './diarization-score';
import { diarizationVoices, readPcm16Wav, type Voice } from './diarization-voices';

export interface Conversation {
  readonly id: string;
  readonly seed: number;
  readonly samples: Float32Array;
  readonly truth: LabelledSpan[];
  readonly speakers: number;
  readonly cast: readonly string[];
  /** Share of the speech time where two people speak at once. */
  readonly overlapShare: number;
}

const RATE = 16000;
const MIN_TURN = 1;
const MAX_TURN = 12;
export const OVERLAP_SHARE = 0.3;
const MAX_OVERLAP = 0.5;
const NOISE_DBFS = -60;


export function speakersForSeed(seed: number): number {
  return 2 + (seed % 3);
}

/** One conversation of about `seconds` (it ends with the turn that crosses it). */
export function buildConversation(voices: readonly Voice[], seed: number, seconds: number): Conversation {
  const next = seededUniform(seed * 7919 + 17);
  const speakers = speakersForSeed(seed);
  const telephone = next() < 0.5;
  const pool = telephone ? [...voices] : voices.filter((v) => v.band === 16000);
  const cast: Voice[] = [];
  while (cast.length < speakers) cast.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);

  const decks = cast.map(() => [] as number[]);
  const clipOf = (s: number, fits: number) => {
    const clips = cast[s].clips;
    if (decks[s].length === 0) decks[s] = shuffled(clips.length, next);
    const at = decks[s].findIndex((i) => clips[i].seconds <= fits);
    return at < 0 ? -1 : decks[s].splice(at, 1)[0];
  };
  const cache = new Map<string, Float32Array>();
  const audio = (s: number, clip: number) => {
    const c = cast[s].clips[clip];
    const file = telephone && c.narrowWav ? c.narrowWav : c.wav;
    if (!cache.has(file)) cache.set(file, readPcm16Wav(file));
    return cache.get(file) as Float32Array;
  };

  const placed: { at: number; samples: Float32Array; speaker: string }[] = [];
  const spoken = new Array<number>(speakers).fill(0);
  let speaker = Math.floor(next() * speakers);
  let cursor = 0; // samples: where the current turn may start
  while (cursor < seconds * RATE) {
    const target = MIN_TURN * (MAX_TURN / MIN_TURN) ** next();
    let used = 0;
    let at = cursor; // where the turn's last prompt ends
    for (;;) {
      const clip = clipOf(speaker, target - used + 0.4);
      if (clip < 0) break;
      const samples = audio(speaker, clip);
      if (used > 0) at += Math.round((0.1 + 0.2 * next()) * RATE); // a breath between prompts of one turn
      placed.push({ at, samples, speaker: cast[speaker].name });
      used += samples.length / RATE;
      at += samples.length;
      if (target - used < 0.8) break;
    }
    if (used === 0) {
      // No prompt of this voice fits a turn this short: take its shortest one.
      const shortest = cast[speaker].clips.reduce((best, c, i, all) => (c.seconds < all[best].seconds ? i : best), 0);
      const samples = audio(speaker, shortest);
      placed.push({ at, samples, speaker: cast[speaker].name });
      used = samples.length / RATE;
      at += samples.length;
    }
    spoken[speaker] += used;
    cursor = next() < OVERLAP_SHARE ? at - Math.round((0.1 + (MAX_OVERLAP - 0.1) * next()) * RATE) : at + Math.round((0.2 + next()) * RATE);
    speaker = nextSpeaker(speaker, spoken, next);
  }

  const length = Math.max(...placed.map((p) => p.at + p.samples.length)) + Math.round(0.5 * RATE);
  const samples = noiseFloor(length, next);
  for (const p of placed) for (let i = 0; i < p.samples.length; i++) samples[p.at + i] += p.samples[i];
  const truth = placed.map((p) => ({ start: round(p.at / RATE), end: round((p.at + p.samples.length) / RATE), speaker: p.speaker }));
  return {
    id: `s${seed}-${speakers}spk-${telephone ? 'tel' : 'wide'}`,
    seed,
    samples,
    truth,
    speakers,
    cast: cast.map((v) => v.name),
    overlapShare: overlapSeconds(truth) / truth.reduce((sum, t) => sum + t.end - t.start, 0),
  };
}

/** The conversations of seeds first … first+count−1, of about `seconds` each. */
export function buildConversations(count: number, seconds: number, first = 1): Conversation[] {
  const voices = diarizationVoices();
  return Array.from({ length: count }, (_, i) => buildConversation(voices, first + i, seconds));
}

/** NIST RTTM, as pyannote and dscore read it. */
export function toRttm(id: string, spans: readonly LabelledSpan[]): string {
  return spans.map((s) => `SPEAKER ${id} 1 ${s.start.toFixed(3)} ${(s.end - s.start).toFixed(3)} <NA> <NA> ${s.speaker} <NA> <NA>\n`).join('');
}

function nextSpeaker(current: number, spoken: readonly number[], next: () => number): number {
  const others = spoken.map((_, i) => i).filter((i) => i !== current);
  // Mostly whoever has said least (everybody gets the floor), sometimes anyone else (so turn order is not a cycle).
  if (next() < 0.6) return others.reduce((best, i) => (spoken[i] < spoken[best] ? i : best), others[0]);
  return others[Math.floor(next() * others.length)];
}

function shuffled(n: number, next: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function noiseFloor(length: number, next: () => number): Float32Array {
  // Uniform noise of this RMS: amplitude = rms·√3.
  const amplitude = 10 ** (NOISE_DBFS / 20) * Math.sqrt(3);
  return Float32Array.from({ length }, () => (2 * next() - 1) * amplitude);
}

function overlapSeconds(spans: readonly LabelledSpan[]): number {
  let total = 0;
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      if (spans[i].speaker !== spans[j].speaker) total += Math.max(0, Math.min(spans[i].end, spans[j].end) - Math.max(spans[i].start, spans[j].start));
    }
  }
  return total;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
