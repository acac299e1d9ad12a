import type { SampleSource } from './sample-source';
import type { TimeSpan } from './speech-span';

const SAMPLE_RATE = 16000;
/** 20 ms frames: short enough to end a region in the pause between two turns. */
const FRAME_SAMPLES = 320;
/** A frame is speech when it is this far above the recording's noise floor (its 10th-percentile frame energy)… */
const ABOVE_FLOOR_DB = 15;
/** …and above this absolute level, so digital silence with a -120 dB floor does not turn hiss into speech. */
const MIN_SPEECH_DBFS = -50;
/**
 * Pauses shorter than this stay inside a region (the gaps between words). Shorter bridges break regions at turn
 * changes, so no embedding window straddles two speakers. Measured (collar 0.25 s, speaker count estimated): 0.2 s →
 * pyannote sample 4.3 % DER with 2 speakers found, 6 scripted 60 s conversations 5.1 %; 0.3 s → 6.9 % with a third
 * speaker found in the overlap, and 8.1 %; 0.15 s → 13.5 % and 4.4 %.
 */
const BRIDGE_SECONDS = 0.2;
/** Bursts shorter than this are clicks, not speech. */
const MIN_REGION_SECONDS = 0.2;
/** Regions are widened by this much either side (speech onsets and offsets are quieter than the vowels). */
const PAD_SECONDS = 0.05;

/**
 * Speech regions of 16 kHz mono audio by frame energy relative to the recording's own noise floor: what the
 * diarization stage looks at when the pipeline has no VAD regions to give it (VAD off, or a path that did not run
 * it). The Silero VAD stage's regions are better and are used whenever the caller passes them.
 */
export function energySpeechRegions(samples: Float32Array): TimeSpan[] {
  const levels = new Float64Array(Math.floor(samples.length / FRAME_SAMPLES));
  frameLevels(samples, levels, 0);
  return regionsFromLevels(levels, samples.length / SAMPLE_RATE);
}

/** Frames read at once from a source: about a minute of audio. */
const BLOCK_FRAMES = 3000;

/** The same over a sample source read block by block (the decoded file of a long job): memory stays flat. */
export async function energySpeechRegionsOf(source: SampleSource): Promise<TimeSpan[]> {
  const levels = new Float64Array(Math.floor(source.length / FRAME_SAMPLES));
  for (let frame = 0; frame < levels.length; frame += BLOCK_FRAMES) {
    const frames = Math.min(BLOCK_FRAMES, levels.length - frame);
    frameLevels(await source.read(frame * FRAME_SAMPLES, (frame + frames) * FRAME_SAMPLES), levels, frame);
  }
  return regionsFromLevels(levels, source.length / SAMPLE_RATE);
}

/** dBFS of each whole frame of `samples`, written to `levels` from `offset`. */
function frameLevels(samples: Float32Array, levels: Float64Array, offset: number): void {
  const frames = Math.min(Math.floor(samples.length / FRAME_SAMPLES), levels.length - offset);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let i = f * FRAME_SAMPLES; i < (f + 1) * FRAME_SAMPLES; i++) sum += samples[i] * samples[i];
    levels[offset + f] = 10 * Math.log10(sum / FRAME_SAMPLES + 1e-12);
  }
}

function regionsFromLevels(levels: Float64Array, duration: number): TimeSpan[] {
  const frames = levels.length;
  if (frames === 0) return [];
  const floor = Float64Array.from(levels).sort()[Math.floor(frames * 0.1)];
  const threshold = Math.max(floor + ABOVE_FLOOR_DB, MIN_SPEECH_DBFS);
  const frameSeconds = FRAME_SAMPLES / SAMPLE_RATE;
  const raw: TimeSpan[] = [];
  for (let f = 0; f < frames; f++) {
    if (levels[f] < threshold) continue;
    const start = f * frameSeconds;
    const last = raw[raw.length - 1];
    if (last && start - last.end <= BRIDGE_SECONDS) raw[raw.length - 1] = { start: last.start, end: start + frameSeconds };
    else raw.push({ start, end: start + frameSeconds });
  }
  const padded = raw
    .filter((r) => r.end - r.start >= MIN_REGION_SECONDS)
    .map((r) => ({ start: Math.max(0, r.start - PAD_SECONDS), end: Math.min(duration, r.end + PAD_SECONDS) }));
  // Padding may make neighbours touch: join them so regions stay disjoint and ordered.
  const joined: TimeSpan[] = [];
  for (const region of padded) {
    const last = joined[joined.length - 1];
    if (last && region.start <= last.end) joined[joined.length - 1] = { start: last.start, end: Math.max(last.end, region.end) };
    else joined.push(region);
  }
  return joined;
}

/**
 * Regions longer than `maxSeconds` cut into equal pieces: diarization reads one region at a time, so this bounds its
 * memory on audio with no pause (a window never straddles a cut; the turns on either side join again by speaker).
 */
export function splitLongRegions(regions: readonly TimeSpan[], maxSeconds: number): TimeSpan[] {
  return regions.flatMap((region) => {
    const pieces = Math.ceil((region.end - region.start) / maxSeconds);
    if (pieces <= 1) return [region];
    const length = (region.end - region.start) / pieces;
    return Array.from({ length: pieces }, (_, i) => ({ start: region.start + i * length, end: i === pieces - 1 ? region.end : region.start + (i + 1) * length }));
  });
}
