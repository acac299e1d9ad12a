import { open, rm } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import type { TranscriptionOptions, TranscriptionResult, TranscriptSegment } from '@speech/contracts';
import type { NormalizedAudio } from '../engines/transcription-engine.port';
import type { SpeechChunk } from '../vad/chunk-packer';
import { segmentsToSource } from '../vad/chunk-timeline';
import { chunksFor, detectSpeechInFile } from '../vad/detect-speech';
import { splitAtJoins } from '../vad/join-split';
import { SpeechDetection } from '../vad/speech-detection';
import type { SpeechRegion } from '../vad/speech-regions';
import type { VadSettings } from '../vad/vad-options';
import { DispatchStage, type EngineCall } from './dispatch.stage';
import { withoutSilenceMarkers } from './segment-quality';

export type EnabledVad = Extract<VadSettings, { enabled: true }>;

const BYTES_PER_SAMPLE = 4;

export interface SpeechCall {
  /** The decoded audio (a whole request, or one job window). */
  readonly audio: NormalizedAudio;
  /** Its speech regions, in samples from the start of `audio`. */
  readonly regions: readonly SpeechRegion[];
  readonly settings: EnabledVad;
  readonly options: TranscriptionOptions;
  readonly signal: AbortSignal;
  /** Fraction of the speech transcribed so far. */
  readonly onProgress?: (fraction: number) => void;
  /** Each chunk's text as soon as the engine returned it, in order (streamed responses show it while the rest runs). */
  readonly onText?: (text: string) => void;
  readonly background?: boolean;
}

/**
 * The VAD stage between decode and dispatch: finds the speech (Silero, apps/api/src/vad), packs it into ≤ 30 s
 * chunks, sends each chunk to the engine (all of them in one dispatcher slot, one after another, so a request
 * never holds more slots than before) and maps the chunks' times back to the audio's own timeline. Pauses are
 * never sent, so no engine spends time (or invents text) on them.
 */
@Injectable()
export class VadStage {
  constructor(
    private readonly dispatch: DispatchStage,
    private readonly detection: SpeechDetection,
  ) {}

  /** The settings to apply, or undefined when this request (or the server, VAD_ENABLED=false) has VAD off. */
  settingsFor(vad: VadSettings): EnabledVad | undefined {
    return vad.enabled && this.detection.enabled ? vad : undefined;
  }

  /** Speech regions of a decoded file (read in bounded blocks); MODEL_UNAVAILABLE when the model did not load. */
  async regionsOf(audio: NormalizedAudio, settings: EnabledVad, signal?: AbortSignal): Promise<SpeechRegion[]> {
    const { regions } = await detectSpeechInFile(audio.path, this.detection.require(), settings, signal);
    return regions;
  }

  /**
   * The engine's result for the speech of `audio`, times relative to `audio` and not yet tidied. No regions: an
   * empty transcript, without an engine call.
   */
  async transcribeSpeech(call: SpeechCall): Promise<TranscriptionResult> {
    const { chunks } = chunksFor(call.regions, call.settings);
    if (chunks.length === 0) return emptyResult(call);
    const total = chunks.reduce((sum, chunk) => sum + chunk.samples, 0);
    return this.dispatch.runInSlot(
      async (engine) => {
        const parts: { chunk: SpeechChunk; result: TranscriptionResult }[] = [];
        let done = 0;
        for (const chunk of chunks) {
          const progress = call.onProgress && ((fraction: number) => call.onProgress?.((done + fraction * chunk.samples) / total));
          const part = { chunk, result: await this.transcribeChunk(engine, call, chunk, progress) };
          parts.push(part);
          call.onText?.(chunkSegments(part, call).map((segment) => segment.text).join(''));
          done += chunk.samples;
          call.onProgress?.(done / total);
        }
        return joinChunks(parts, call);
      },
      call.signal,
      call.background,
      undefined,
      call.options,
    );
  }

  private async transcribeChunk(engine: EngineCall, call: SpeechCall, chunk: SpeechChunk, onProgress?: (fraction: number) => void): Promise<TranscriptionResult> {
    const path = `${call.audio.path}.chunk-${chunk.index}`;
    try {
      await writeChunkFile(call.audio.path, chunk, path);
      const audio: NormalizedAudio = { path, durationSeconds: chunk.samples / call.audio.sampleRate, sampleRate: call.audio.sampleRate };
      // Word times let splitAtJoins keep segments out of the pauses between a chunk's regions.
      const options = chunk.spans.length > 1 ? { ...call.options, wordTimestamps: true } : call.options;
      return await engine(audio, options, onProgress);
    } finally {
      await rm(path, { force: true });
    }
  }
}

/** A chunk's samples: its spans read from the decoded file and written end to end (≤ 30 s, ~2 MB). */
async function writeChunkFile(sourcePath: string, chunk: SpeechChunk, path: string): Promise<void> {
  const bytes = Buffer.alloc(chunk.samples * BYTES_PER_SAMPLE);
  const source = await open(sourcePath, 'r');
  try {
    for (const span of chunk.spans) {
      const length = (span.sourceEnd - span.sourceStart) * BYTES_PER_SAMPLE;
      await source.read(bytes, span.chunkStart * BYTES_PER_SAMPLE, length, span.sourceStart * BYTES_PER_SAMPLE);
    }
  } finally {
    await source.close();
  }
  const out = await open(path, 'w');
  try {
    await out.writeFile(bytes);
  } finally {
    await out.close();
  }
}

/**
 * The chunks' segments on the audio's timeline, in chunk order (chunks never overlap); the language of most speech.
 * A segment that is only a silence marker ("[BLANK_AUDIO]") is the engine saying a region held no words: dropped.
 */
function joinChunks(parts: readonly { chunk: SpeechChunk; result: TranscriptionResult }[], call: SpeechCall): TranscriptionResult {
  const segments: TranscriptSegment[] = parts.flatMap((part) => chunkSegments(part, call));
  const samplesByLanguage = new Map<string, number>();
  for (const { chunk, result } of parts) samplesByLanguage.set(result.language, (samplesByLanguage.get(result.language) ?? 0) + chunk.samples);
  const language = [...samplesByLanguage].sort((a, b) => b[1] - a[1])[0]?.[0] ?? call.options.language ?? 'en';
  return { text: '', language, duration: call.audio.durationSeconds, segments };
}

/** One chunk's segments on the audio's timeline, silence markers dropped. */
function chunkSegments({ chunk, result }: { chunk: SpeechChunk; result: TranscriptionResult }, call: SpeechCall): TranscriptSegment[] {
  return segmentsToSource(chunk, splitAtJoins(chunk, withoutSilenceMarkers(result.segments), call.audio.sampleRate), call.audio.sampleRate);
}

/** No speech: nothing to transcribe. The language is the one asked for (there is nothing to detect it from). */
function emptyResult(call: SpeechCall): TranscriptionResult {
  return { text: '', language: call.options.language ?? 'en', duration: call.audio.durationSeconds, segments: [] };
}

/** Speech regions in seconds of the audio's timeline (what diarization and segment quality read). */
export function regionsInSeconds(regions: readonly SpeechRegion[], sampleRate: number): { start: number; end: number }[] {
  return regions.map((region) => ({ start: region.start / sampleRate, end: region.end / sampleRate }));
}
