import { type PackedChunks, packChunks } from './chunk-packer';
import type { SpeechDetector } from './speech-detector.port';
import { speechProbabilities, speechProbabilitiesOfFile } from './speech-probabilities';
import { type SpeechRegion, speechRegions } from './speech-regions';
import { JOIN_GAP_SECONDS, type VadSettings } from './vad-options';

type EnabledVad = Extract<VadSettings, { enabled: true }>;

/** Speech regions (whole samples) of 16 kHz mono audio held in memory. */
export async function detectSpeech(audio: Float32Array, detector: SpeechDetector, settings: EnabledVad, signal?: AbortSignal): Promise<SpeechRegion[]> {
  const probabilities = await speechProbabilities(audio, detector, signal);
  return speechRegions(probabilities, audio.length, settings.regions);
}

/** The same for a raw f32le 16 kHz mono file (the normalized audio), read in bounded blocks. */
export async function detectSpeechInFile(pcmPath: string, detector: SpeechDetector, settings: EnabledVad, signal?: AbortSignal): Promise<{ regions: SpeechRegion[]; samples: number }> {
  const { probabilities, samples } = await speechProbabilitiesOfFile(pcmPath, detector, signal);
  return { regions: speechRegions(probabilities, samples, settings.regions), samples };
}

/** Regions → the ≤ 30 s chunks an engine transcribes (see chunk-packer.ts; map times back with chunk-timeline.ts). */
export function chunksFor(regions: readonly SpeechRegion[], settings: EnabledVad): PackedChunks {
  return packChunks(regions, settings.maxChunkSeconds, undefined, JOIN_GAP_SECONDS);
}
