import { centroid, clusterEmbeddings, nearestCentroid } from './agglomerative-clustering';
import { type EmbeddingWindow, planEmbeddingWindows } from './embedding-windows';
import { HOP, MEL_BANDS, SAMPLE_RATE, melSpectrogram } from './mel-frontend';
import { inMemory, type SampleSource } from './sample-source';
import type { SpeakerEmbedder } from './speaker-embedder.port';
import { type KnownVoice, nameClusters } from './known-speakers';
import { speakerTurns } from './speaker-turns';
import type { SpeakerTurn, TimeSpan } from './speech-span';

export interface DiarizationOptions {
  /** Exact number of speakers, when the caller knows it. */
  readonly speakers?: number;
  readonly minSpeakers?: number;
  readonly maxSpeakers?: number;
  /** Cosine distance under which two clusters are one speaker; without it (and without `speakers`) the count is estimated (speaker-count.ts). */
  readonly threshold?: number;
  /** Reference voices (known_speaker_names/references): a cluster matching one is labelled with its name. */
  readonly knownVoices?: readonly KnownVoice[];
}

/** Windows clustered pairwise at most; beyond, the rest join the nearest centroid (keeps an hour of speech to seconds). */
export const MAX_CLUSTERED_WINDOWS = 600;
const BATCH = 32;
const FRAMES_PER_SECOND = SAMPLE_RATE / HOP;
/** Resemblyzer raises quiet speech to −30 dBFS (never lowers it) before embedding; the encoder was trained so. */
const TARGET_DBFS = -30;

/**
 * Who spoke when in `samples` (16 kHz mono, in memory or read by range), looking only inside `speechRegions` (from
 * the VAD stage). Memory: one speech region's samples and mel at a time, plus the embeddings.
 */
export async function diarize(
  samples: Float32Array | SampleSource,
  speechRegions: readonly TimeSpan[],
  embedder: SpeakerEmbedder,
  options: DiarizationOptions = {},
): Promise<SpeakerTurn[]> {
  return turnsFromEmbeddings(await embedSpeech(samples, speechRegions, embedder), speechRegions, options);
}

/** The second half of diarize(): clustering and turns (separate so the bench can tune clustering on one embedding pass). */
export function turnsFromEmbeddings(embedded: EmbeddedSpeech, speechRegions: readonly TimeSpan[], options: DiarizationOptions = {}): SpeakerTurn[] {
  const { windows, embeddings } = embedded;
  if (windows.length === 0) return [];
  const labels = clusterAll(embeddings, options);
  const names = options.knownVoices?.length ? nameClusters(groupByLabel(embeddings, labels), options.knownVoices) : undefined;
  return speakerTurns(speechRegions, windows, labels, names);
}

/** A known speaker's voice from a reference clip (2–10 s, 16 kHz mono): every window of the whole clip. */
export async function embedReferenceVoice(name: string, samples: Float32Array, embedder: SpeakerEmbedder): Promise<KnownVoice> {
  const { embeddings } = await embedSpeech(samples, [{ start: 0, end: samples.length / SAMPLE_RATE }], embedder);
  return { name, embeddings };
}

function groupByLabel(embeddings: readonly Float32Array[], labels: readonly number[]): Map<number, Float32Array[]> {
  const groups = new Map<number, Float32Array[]>();
  labels.forEach((label, i) => groups.set(label, [...(groups.get(label) ?? []), embeddings[i]]));
  return groups;
}

export interface EmbeddedSpeech {
  readonly windows: EmbeddingWindow[];
  readonly embeddings: Float32Array[];
  /** The loudness gain applied before embedding (Resemblyzer's −30 dBFS rule). */
  readonly gain: number;
}

/** The first half of diarize(): one embedding per window (exported for the bench's comparison with Resemblyzer). */
export async function embedSpeech(
  samples: Float32Array | SampleSource,
  speechRegions: readonly TimeSpan[],
  embedder: SpeakerEmbedder,
): Promise<EmbeddedSpeech> {
  const source = samples instanceof Float32Array ? inMemory(samples) : samples;
  const windows = planEmbeddingWindows(speechRegions);
  const gain = await loudnessGain(source, speechRegions);
  const embeddings = windows.length === 0 ? [] : await embedWindows(source, speechRegions, windows, gain, embedder);
  return { windows, embeddings, gain };
}

/** Samples read at once while measuring loudness: a minute. */
const GAIN_BLOCK = 60 * SAMPLE_RATE;

async function loudnessGain(source: SampleSource, regions: readonly TimeSpan[]): Promise<number> {
  let sum = 0;
  let count = 0;
  for (const region of regions) {
    const end = Math.min(source.length, Math.round(region.end * SAMPLE_RATE));
    for (let from = Math.max(0, Math.round(region.start * SAMPLE_RATE)); from < end; from += GAIN_BLOCK) {
      const block = await source.read(from, Math.min(end, from + GAIN_BLOCK));
      for (let i = 0; i < block.length; i++) sum += block[i] * block[i];
      count += block.length;
    }
  }
  if (count === 0 || sum === 0) return 1;
  const rmsDbfs = 10 * Math.log10(sum / count);
  return rmsDbfs < TARGET_DBFS ? 10 ** ((TARGET_DBFS - rmsDbfs) / 20) : 1;
}

async function embedWindows(
  source: SampleSource,
  regions: readonly TimeSpan[],
  windows: readonly EmbeddingWindow[],
  gain: number,
  embedder: SpeakerEmbedder,
): Promise<Float32Array[]> {
  const result = new Array<Float32Array>(windows.length);
  // Windows of equal length share a batch (most are exactly 160 frames); a batch waits across regions until full, so
  // only its windows' mels are held, never the whole recording's.
  const pending = new Map<number, { indices: number[]; values: Float32Array[] }>();
  const flush = async (frames: number) => {
    const batch = pending.get(frames);
    if (!batch || batch.indices.length === 0) return;
    pending.delete(frames);
    const input = new Float32Array(batch.indices.length * frames * MEL_BANDS);
    batch.values.forEach((values, k) => input.set(values, k * frames * MEL_BANDS));
    const embedded = await embedder.embed(input, batch.indices.length, frames);
    batch.indices.forEach((index, k) => (result[index] = embedded[k]));
  };
  let next = 0;
  for (const [r, region] of regions.entries()) {
    const first = next;
    while (next < windows.length && windows[next].region === r) next++;
    if (next === first) continue;
    // One spectrogram per speech region, sliced per window as Resemblyzer slices its partials (windows overlap 4×,
    // so this is 4× less FFT work than one spectrogram per window). Power mel scales with gain².
    const mel = melSpectrogram(await source.read(Math.round(region.start * SAMPLE_RATE), Math.round(region.end * SAMPLE_RATE)));
    if (gain !== 1) for (let i = 0; i < mel.length; i++) mel[i] *= gain * gain;
    const available = mel.length / MEL_BANDS;
    for (let index = first; index < next; index++) {
      const w = windows[index];
      const start = Math.min(available - 1, Math.round((w.start - region.start) * FRAMES_PER_SECOND));
      const frames = Math.max(1, Math.min(available - start, Math.floor(((w.end - w.start) * SAMPLE_RATE) / HOP)));
      const batch = pending.get(frames) ?? { indices: [], values: [] };
      batch.indices.push(index);
      batch.values.push(mel.slice(start * MEL_BANDS, (start + frames) * MEL_BANDS));
      pending.set(frames, batch);
      if (batch.indices.length === BATCH) await flush(frames);
    }
  }
  for (const frames of [...pending.keys()]) await flush(frames);
  return result;
}

function clusterAll(embeddings: Float32Array[], options: DiarizationOptions): number[] {
  if (embeddings.length <= MAX_CLUSTERED_WINDOWS) return clusterEmbeddings(embeddings, options);
  const stride = embeddings.length / MAX_CLUSTERED_WINDOWS;
  const sample = Array.from({ length: MAX_CLUSTERED_WINDOWS }, (_, i) => embeddings[Math.floor(i * stride)]);
  const sampleLabels = clusterEmbeddings(sample, options);
  const clusters = Math.max(...sampleLabels) + 1;
  const centroids = Array.from({ length: clusters }, (_, k) => centroid(sample.filter((_, i) => sampleLabels[i] === k)));
  return embeddings.map((e) => nearestCentroid(e, centroids));
}
