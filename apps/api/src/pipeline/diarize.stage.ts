import { Injectable, Logger } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';
import { AppConfig } from '../config/app-config';
import { assignSpeakers } from '../diarization/assign-speakers';
import { diarize, embedReferenceVoice } from '../diarization/diarize';
import { energySpeechRegionsOf, splitLongRegions } from '../diarization/energy-speech-regions';
import { pcmFileSource } from '../diarization/sample-source';
import { SpeakerModel } from '../diarization/speaker-model';
import type { SpeakerTurn, TimeSpan } from '../diarization/speech-span';
import { type EngineDiarization, type NormalizedAudio, TranscriptionEngine } from '../engines/transcription-engine.port';
import { DiarizationQueue } from './diarization-queue';
import { PrepareStage } from './prepare.stage';
import { decodeReferenceClips, type ReferenceClip } from './reference-clips';
import type { TranscribeOptions } from './transcribe-options';

/** Longest speech region read at once (samples + mel of a minute: ~6 MB). */
const MAX_REGION_SECONDS = 60;

/** What one transcription does about speakers, decided before the engine runs (DiarizeStage.plan). */
export interface DiarizationPlan {
  /** The caller's options as they go to the engine: word timings on while diarizing (speaker changes split at words). */
  readonly engineOptions: TranscribeOptions;
  /** Set when the engine labels speakers itself: what it is asked for (the EngineRequest's `diarization`). */
  readonly forEngine?: EngineDiarization;
  /** The caller's options, unchanged. */
  readonly options: TranscribeOptions;
  readonly knownSpeakers: readonly ReferenceClip[];
}

export interface DiarizeCall {
  /** The decoded audio the result's times refer to: the whole request, or a job's whole recording. */
  readonly audio: NormalizedAudio;
  /** The tidied transcript (with words while diarizing). */
  readonly result: TranscriptionResult;
  /**
   * Speech regions of `audio` in seconds, when an earlier stage found them (the VAD stage); without them the stage
   * finds its own by energy (diarization/energy-speech-regions.ts).
   */
  readonly speechRegions?: readonly TimeSpan[];
  readonly signal: AbortSignal;
  /** Job work: waits for a diarization slot however long the queue is, instead of being refused. */
  readonly background?: boolean;
}

/**
 * Who spoke when, after the engine: embeddings of the speech → clusters → speaker turns (diarization/diarize.ts), then
 * every segment and word gets its speaker and segments are split at speaker changes (assign-speakers.ts). Runs on the
 * API's one decode of the audio, in a bounded queue of its own. An engine that diarizes itself (a model container,
 * `describe().diarizes`) is asked to instead; jobs always diarize here, once over the whole recording, so labels
 * agree across windows.
 */
@Injectable()
export class DiarizeStage {
  private readonly logger = new Logger('DiarizeStage');

  constructor(
    private readonly engine: TranscriptionEngine,
    private readonly model: SpeakerModel,
    private readonly queue: DiarizationQueue,
    private readonly prepare: PrepareStage,
    private readonly config: AppConfig,
  ) {}

  /**
   * Before the engine: refuses at once when this server cannot diarize, decodes known speakers' clips, and turns word
   * timings on for the engine. `inApi`: diarize here even when the engine could (jobs, whose windows the engine sees
   * one at a time).
   */
  async plan(options: TranscribeOptions, signal: AbortSignal, inApi = false): Promise<DiarizationPlan> {
    const request = options.diarization;
    if (!request) return { engineOptions: options, options, knownSpeakers: [] };
    const engineDiarizes = !inApi && this.engine.describe().diarizes;
    if (!engineDiarizes) this.model.assertAvailable();
    const knownSpeakers = await decodeReferenceClips(request.knownSpeakers, this.prepare, this.config.upload.tmpDir, signal);
    const forEngine: EngineDiarization | undefined = engineDiarizes
      ? { speakers: request.speakers, minSpeakers: request.minSpeakers, maxSpeakers: request.maxSpeakers, knownSpeakers }
      : undefined;
    return { engineOptions: { ...options, wordTimestamps: true }, options, knownSpeakers, ...(forEngine ? { forEngine } : {}) };
  }

  /** After the engine and the tidy step: the result with speakers, and with words only when the caller asked for them. */
  async run(plan: DiarizationPlan, call: DiarizeCall): Promise<TranscriptionResult> {
    if (!plan.options.diarization) return call.result;
    let labelled = call.result;
    // An engine that was asked but labelled nobody (a model container that predates diarization) is not trusted.
    if (!plan.forEngine || (call.result.segments.length > 0 && !hasSpeakers(call.result))) {
      if (plan.forEngine) this.logger.warn({ msg: 'the engine was asked to diarize but returned no speakers; diarizing in the API' });
      labelled = await this.queue.run(() => this.diarizeHere(plan, call), call.signal, { background: call.background ?? false });
    }
    return plan.options.wordTimestamps ? labelled : withoutWords(labelled);
  }

  private async diarizeHere(plan: DiarizationPlan, { audio, result, speechRegions, signal }: DiarizeCall): Promise<TranscriptionResult> {
    signal.throwIfAborted();
    const started = performance.now();
    const embedder = await this.model.embedder();
    // The decoded file is read by range, one speech region at a time: a 4-hour job is not 920 MB of samples in memory.
    const source = await pcmFileSource(audio.path);
    let turns: SpeakerTurn[];
    try {
      const regions = splitLongRegions(speechRegions ?? (await energySpeechRegionsOf(source)), MAX_REGION_SECONDS);
      const knownVoices = [];
      for (const clip of plan.knownSpeakers) knownVoices.push(await embedReferenceVoice(clip.name, clip.samples, embedder));
      const request = plan.options.diarization;
      turns = await diarize(source, regions, embedder, {
        speakers: request?.speakers,
        minSpeakers: request?.minSpeakers,
        maxSpeakers: request?.maxSpeakers,
        knownVoices,
      });
    } finally {
      await source.close();
    }
    signal.throwIfAborted();
    const seconds = (performance.now() - started) / 1000;
    this.logger.log({
      msg: 'diarized',
      audio_seconds: Math.round(audio.durationSeconds * 100) / 100,
      seconds: Math.round(seconds * 1000) / 1000,
      speakers: new Set(turns.map((turn) => turn.speaker)).size,
      regions: speechRegions ? 'given' : 'energy',
    });
    return assignSpeakers(result, turns);
  }
}

function hasSpeakers(result: TranscriptionResult): boolean {
  return result.segments.some((segment) => segment.speaker !== undefined);
}

/** Word timings were only for placing speaker changes: the caller did not ask for them. */
function withoutWords(result: TranscriptionResult): TranscriptionResult {
  const segments = result.segments.map((segment) => {
    const copy = { ...segment };
    delete copy.words;
    return copy;
  });
  const stripped = { ...result, segments };
  delete stripped.words;
  return stripped;
}
