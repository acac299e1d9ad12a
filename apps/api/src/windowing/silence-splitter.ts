import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { SpeechRegion } from '../vad/speech-regions';
import { cutInPause } from './pause-cuts';

const BYTES_PER_SAMPLE = 4;
/** 20 ms frames at 16 kHz: fine enough to land inside the pause between two words. */
const FRAME_SAMPLES = 320;
/** Energy is smoothed over 10 frames (200 ms), so a cut lands in a pause, not in a stop consonant. */
const SMOOTH_FRAMES = 10;

/** One slice of the normalized audio, in samples (exact) and seconds (derived). */
export interface AudioWindow {
  readonly index: number;
  readonly startSample: number;
  /** Exclusive. */
  readonly endSample: number;
  readonly startSeconds: number;
  readonly durationSeconds: number;
}

export interface WindowPlan {
  readonly windows: readonly AudioWindow[];
  /** Changes whenever the cuts change, so stored per-window results are reused only for the same cuts. */
  readonly fingerprint: string;
}

export interface SplitOptions {
  readonly windowSeconds: number;
  readonly sampleRate: number;
  /** How far from each nominal boundary a quieter cut point may be chosen; default min(10 % of a window, 15 s). */
  readonly searchSeconds?: number;
  /**
   * The recording's speech regions (VAD, whole samples) when known: each boundary is then cut at a pause between
   * them (pause-cuts.ts), and the energy search runs only for a boundary with no pause within reach.
   */
  readonly speechRegions?: readonly SpeechRegion[];
}

interface SearchRegion {
  readonly nominalFrame: number;
  readonly searchFrames: number;
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly energies: number[];
}

/**
 * Plans windows of about `windowSeconds` over a raw f32le mono file, each boundary moved to a VAD pause when
 * speech regions are given, else to the quietest 200 ms within ±searchSeconds of its nominal place. Only the
 * search regions are read, one at a time, so memory stays bounded (one region's samples) whatever the length.
 */
export async function planWindows(pcmPath: string, options: SplitOptions): Promise<WindowPlan> {
  const totalSamples = Math.floor((await stat(pcmPath)).size / BYTES_PER_SAMPLE);
  const windowSamples = options.windowSeconds * options.sampleRate;
  // Equal parts of at most ~windowSeconds; a hair over a multiple (1 %) does not buy an extra window.
  const count = Math.max(1, Math.ceil(totalSamples / windowSamples - 0.01));
  const regions = searchRegions(totalSamples, count, options);
  const pauseCuts = regions.map((region) =>
    options.speechRegions
      ? cutInPause(region.nominalFrame * FRAME_SAMPLES, vadReaches(region, windowSamples), options.speechRegions, totalSamples)
      : undefined,
  );
  const needEnergy = regions.filter((_, k) => pauseCuts[k] === undefined);
  if (needEnergy.length > 0) await measureRegions(pcmPath, needEnergy);
  const cuts = regions.map((region, k) => pauseCuts[k] ?? quietestFrame(region) * FRAME_SAMPLES);
  const bounds = [0, ...increasingCuts(cuts, totalSamples), totalSamples];
  const windows = bounds.slice(0, -1).map((startSample, index) => {
    const endSample = bounds[index + 1] as number;
    return {
      index,
      startSample,
      endSample,
      startSeconds: startSample / options.sampleRate,
      durationSeconds: (endSample - startSample) / options.sampleRate,
    };
  });
  const fingerprint = createHash('sha1').update(bounds.join(',')).digest('hex').slice(0, 12);
  return { windows, fingerprint };
}

/**
 * Neighbouring boundaries may choose the same place (a ±1 s energy search for 2 s windows, or one long VAD pause
 * within reach of two boundaries) or even cross; keeping only cuts after the previous one (and before the end)
 * merges those two windows instead of leaving an empty or negative one.
 */
function increasingCuts(cuts: readonly number[], totalSamples: number): number[] {
  const kept: number[] = [];
  for (const cut of cuts) if (cut > (kept[kept.length - 1] ?? 0) && cut < totalSamples) kept.push(cut);
  return kept;
}

/**
 * VAD pauses are looked for within the energy search first, then up to 40 % of a window away: a real pause a few
 * seconds further is a better cut than the quietest spot of continuous (or noisy) speech, and 40 % keeps cuts in order.
 */
function vadReaches(region: SearchRegion, windowSamples: number): number[] {
  const search = region.searchFrames * FRAME_SAMPLES;
  return [search, Math.max(search, Math.floor(0.4 * windowSamples))];
}

/** Nominal boundaries split the audio into `count` equal parts, so no window is a sliver at the end. */
function searchRegions(totalSamples: number, count: number, options: SplitOptions): SearchRegion[] {
  const totalFrames = Math.floor(totalSamples / FRAME_SAMPLES);
  const searchSeconds = options.searchSeconds ?? Math.max(1, Math.min(options.windowSeconds * 0.1, 15));
  const searchFrames = Math.floor((searchSeconds * options.sampleRate) / FRAME_SAMPLES);
  const regions: SearchRegion[] = [];
  for (let k = 1; k < count; k += 1) {
    const nominalFrame = Math.round((k * totalFrames) / count);
    regions.push({
      nominalFrame,
      searchFrames,
      firstFrame: Math.max(1, nominalFrame - searchFrames),
      lastFrame: Math.min(totalFrames - 1, nominalFrame + searchFrames),
      energies: [],
    });
  }
  return regions;
}

/**
 * Reads only the search regions (≤ 2 × searchSeconds each, ~2 MB at most), one at a time, keeping the
 * mean-square energy of each 20 ms frame. The rest of the file is never read.
 */
async function measureRegions(pcmPath: string, regions: SearchRegion[]): Promise<void> {
  const file = await open(pcmPath, 'r');
  try {
    for (const region of regions) {
      const frames = region.lastFrame - region.firstFrame + 1;
      const bytes = Buffer.alloc(frames * FRAME_SAMPLES * BYTES_PER_SAMPLE);
      const { bytesRead } = await file.read(bytes, 0, bytes.length, region.firstFrame * FRAME_SAMPLES * BYTES_PER_SAMPLE);
      // A fresh Buffer.alloc is 4-byte aligned, so the samples can be viewed in place.
      const samples = new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytesRead / BYTES_PER_SAMPLE));
      for (let f = 0; (f + 1) * FRAME_SAMPLES <= samples.length; f += 1) {
        let sum = 0;
        for (let i = f * FRAME_SAMPLES; i < (f + 1) * FRAME_SAMPLES; i += 1) sum += (samples[i] as number) ** 2;
        region.energies.push(sum / FRAME_SAMPLES);
      }
    }
  } finally {
    await file.close();
  }
}

/** The frame at the centre of the quietest 200 ms; among equals, the one nearest the nominal boundary. */
function quietestFrame(region: SearchRegion): number {
  const { energies, firstFrame, nominalFrame } = region;
  if (energies.length === 0) return nominalFrame;
  const half = Math.floor(SMOOTH_FRAMES / 2);
  let best = nominalFrame;
  let bestEnergy = Number.POSITIVE_INFINITY;
  let running = 0;
  for (let i = 0; i < energies.length; i += 1) {
    running += energies[i] as number;
    if (i >= SMOOTH_FRAMES) running -= energies[i - SMOOTH_FRAMES] as number;
    if (i < SMOOTH_FRAMES - 1) continue;
    const centre = firstFrame + i - half + 1;
    const quieter = running < bestEnergy - 1e-12;
    const asQuietButCloser = Math.abs(running - bestEnergy) <= 1e-12 && Math.abs(centre - nominalFrame) < Math.abs(best - nominalFrame);
    if (quieter || asQuietButCloser) {
      bestEnergy = running;
      best = centre;
    }
  }
  return best;
}
