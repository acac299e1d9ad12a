import { VAD_FRAME_SAMPLES, VAD_SAMPLE_RATE } from './speech-detector.port';

/** A stretch of speech in the original audio, in samples (exact; end exclusive). */
export interface SpeechRegion {
  readonly start: number;
  readonly end: number;
}

/** The knobs of Silero's `get_speech_timestamps`, with its names and its defaults unless stated. */
export interface SpeechRegionOptions {
  /** A frame at or above this probability is speech. Default 0.5. */
  readonly threshold: number;
  /** Speech ends only below this; default max(threshold − 0.15, 0.01). */
  readonly negThreshold?: number;
  /** Regions not longer than this are dropped. Default 250 ms. */
  readonly minSpeechMs: number;
  /** A region ends after this much silence. Default 100 ms. */
  readonly minSilenceMs: number;
  /** Added on both sides of each region (halved between close neighbours). Default 30 ms. */
  readonly speechPadMs: number;
  /** A region is cut (at its longest inner pause, else where it reaches this) before it gets longer. Default ∞. */
  readonly maxSpeechSeconds: number;
  /** Only pauses longer than this may serve as a cut for maxSpeechSeconds. Default 98 ms. */
  readonly minSilenceAtMaxSpeechMs: number;
}

export const SILERO_REFERENCE_DEFAULTS: SpeechRegionOptions = {
  threshold: 0.5,
  minSpeechMs: 250,
  minSilenceMs: 100,
  speechPadMs: 30,
  maxSpeechSeconds: Number.POSITIVE_INFINITY,
  minSilenceAtMaxSpeechMs: 98,
};

interface Open {
  start?: number;
  end?: number;
}

/**
 * Speech regions from per-frame probabilities: a line-by-line port of `get_speech_timestamps_from_probs` in
 * silero-vad 6.2.3 (utils_vad.py, `use_max_poss_sil_at_max_speech=True`, 16 kHz), so regions match the reference
 * for the same probabilities — bench/vad checks it on real speech. Pure.
 */
export function speechRegions(probabilities: ArrayLike<number>, audioSamples: number, options: SpeechRegionOptions = SILERO_REFERENCE_DEFAULTS): SpeechRegion[] {
  const sr = VAD_SAMPLE_RATE;
  const window = VAD_FRAME_SAMPLES;
  const { threshold } = options;
  const minSpeechSamples = (sr * options.minSpeechMs) / 1000;
  const padSamples = (sr * options.speechPadMs) / 1000;
  const maxSpeechSamples = sr * options.maxSpeechSeconds - window - 2 * padSamples;
  const minSilenceSamples = (sr * options.minSilenceMs) / 1000;
  const minSilenceAtMax = (sr * options.minSilenceAtMaxSpeechMs) / 1000;
  const negThreshold = options.negThreshold ?? Math.max(threshold - 0.15, 0.01);

  const speeches: Open[] = [];
  let triggered = false;
  let current: Open = {};
  let tempEnd = 0;
  let prevEnd = 0;
  let nextStart = 0;
  let possibleEnds: Array<[number, number]> = [];

  for (let i = 0; i < probabilities.length; i += 1) {
    const p = probabilities[i] as number;
    const cur = window * i;
    if (p >= threshold && tempEnd) {
      const silence = cur - tempEnd;
      if (silence > minSilenceAtMax) possibleEnds.push([tempEnd, silence]);
      tempEnd = 0;
      if (nextStart < prevEnd) nextStart = cur;
    }
    if (p >= threshold && !triggered) {
      triggered = true;
      current.start = cur;
      continue;
    }
    if (triggered && cur - (current.start as number) > maxSpeechSamples) {
      if (possibleEnds.length > 0) {
        // The longest pause inside the region; the first of equals, as Python's max() picks.
        const [end, duration] = possibleEnds.reduce((best, candidate) => (candidate[1] > best[1] ? candidate : best));
        prevEnd = end;
        current.end = prevEnd;
        speeches.push(current);
        current = {};
        nextStart = prevEnd + duration;
        if (nextStart < prevEnd + cur) current.start = nextStart;
        else triggered = false;
        prevEnd = nextStart = tempEnd = 0;
        possibleEnds = [];
      } else {
        current.end = cur;
        speeches.push(current);
        current = {};
        prevEnd = nextStart = tempEnd = 0;
        triggered = false;
        possibleEnds = [];
        continue;
      }
    }
    if (p < negThreshold && triggered) {
      if (!tempEnd) tempEnd = cur;
      if (cur - tempEnd < minSilenceSamples) continue;
      current.end = tempEnd;
      if ((current.end as number) - (current.start as number) > minSpeechSamples) speeches.push(current);
      current = {};
      prevEnd = nextStart = tempEnd = 0;
      triggered = false;
      possibleEnds = [];
    }
  }
  if (current.start !== undefined && audioSamples - current.start > minSpeechSamples) {
    current.end = audioSamples;
    speeches.push(current);
  }
  return pad(speeches as Array<Required<Open>>, padSamples, audioSamples);
}

/** Padding as the reference does it: whole pad where the gap allows, else half the gap to each neighbour. */
function pad(speeches: Array<{ start: number; end: number }>, padSamples: number, audioSamples: number): SpeechRegion[] {
  for (let i = 0; i < speeches.length; i += 1) {
    const speech = speeches[i] as { start: number; end: number };
    if (i === 0) speech.start = Math.trunc(Math.max(0, speech.start - padSamples));
    const next = speeches[i + 1];
    if (next) {
      const silence = next.start - speech.end;
      if (silence < 2 * padSamples) {
        speech.end += Math.trunc(Math.floor(silence / 2));
        next.start = Math.trunc(Math.max(0, next.start - Math.floor(silence / 2)));
      } else {
        speech.end = Math.trunc(Math.min(audioSamples, speech.end + padSamples));
        next.start = Math.trunc(Math.max(0, next.start - padSamples));
      }
    } else {
      speech.end = Math.trunc(Math.min(audioSamples, speech.end + padSamples));
    }
  }
  return speeches.map(({ start, end }) => ({ start, end }));
}
