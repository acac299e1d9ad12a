import { centroid, clusterEmbeddings, nearestCentroid } from './agglomerative-clustering';
import { type EmbeddingWindow, planEmbeddingWindows } from './embedding-windows';
import { planEmbeddingPasses } from './embedding-passes';
import { FBANK_BANDS, kaldiFbank, removeBandMeans, SAMPLE_RATE } from './kaldi-fbank';
import { inMemory, type SampleSource } from './sample-source';
import { ENCODER_FRAMES_PER_SECOND, encoderFrames, type SpeakerEmbedder } from './speaker-embedder.port';
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

/**
 * Who spoke when in `samples` (16 kHz mono, in memory or read by range), looking only inside `speechRegions` (from
 * the VAD stage). Memory: one encoder pass (≤ 30 s of speech) at a time, plus the embeddings.
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
}

/** The first half of diarize(): one embedding per window (exported for the bench, which tunes clustering on a cache). */
export async function embedSpeech(
  samples: Float32Array | SampleSource,
  speechRegions: readonly TimeSpan[],
  embedder: SpeakerEmbedder,
): Promise<EmbeddedSpeech> {
  const source = samples instanceof Float32Array ? inMemory(samples) : samples;
  const windows = planEmbeddingWindows(speechRegions);
  const embeddings = new Array<Float32Array>(windows.length);
  // One encoder pass per stretch of speech (at most MAX_PASS_SECONDS), pooled per window inside the graph: memory is
  // one pass's samples and filter bank at a time, plus the embeddings. No loudness rule: log-mel with each band's mean
  // removed does not change with gain.
  for (const pass of planEmbeddingPasses(speechRegions, windows)) {
    const fbank = removeBandMeans(kaldiFbank(await source.read(Math.round(pass.start * SAMPLE_RATE), Math.round(pass.end * SAMPLE_RATE))));
    const frames = fbank.length / FBANK_BANDS;
    const outFrames = encoderFrames(frames);
    const ranges = pass.windows.map((index) => {
      const from = Math.min(outFrames - 1, Math.round((windows[index].start - pass.start) * ENCODER_FRAMES_PER_SECOND));
      const to = Math.min(outFrames, Math.max(from + 1, Math.round((windows[index].end - pass.start) * ENCODER_FRAMES_PER_SECOND)));
      return { from, to };
    });
    const embedded = await embedder.embed(fbank, frames, ranges);
    pass.windows.forEach((index, k) => (embeddings[index] = embedded[k]));
  }
  return { windows, embeddings };
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
