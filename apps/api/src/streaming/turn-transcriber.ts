import { writeFile } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { TempWorkspace } from '../common/temp-workspace';
import { AppConfig } from '../config/app-config';
import { EngineDispatcher } from '../pipeline/engine-dispatcher';
import { defaultGranularities, type TranscribeOptions } from '../pipeline/transcribe-options';
import { TranscriptionPipeline } from '../pipeline/transcription-pipeline';
import { VAD_SAMPLE_RATE } from '../vad/speech-detector.port';
import { encoderWindowForTurn } from './fit-encoder-rule';

/** Why a partial was stopped: a final of some session wants the engine. */
const PREEMPTED_BY_FINAL = new DomainError('CANCELLED', 'A final transcription pre-empted this partial one.');

export interface TurnRequest {
  /** 16 kHz mono samples of the turn so far (partial) or of the whole turn (final). */
  readonly samples: Float32Array;
  readonly kind: 'partial' | 'final';
  /**
   * A partial that a final does not cancel once it is under way: the turn has spoken a while and shown no text yet.
   * Without it, under load, every partial of a long turn was cancelled by the other sessions' finals and its first
   * text came with its final, 18 s in (bench, 4 sessions).
   */
  readonly keepForFinals?: boolean;
  readonly language?: string;
  readonly prompt?: string;
  readonly signal: AbortSignal;
}

/** A turn's audio → text, through the one pipeline (dispatch → engine → tidy). A port so sessions can be tested alone. */
export abstract class TurnTranscriber {
  /**
   * Whether an open turn may be decoded again and again (partials, speculative finals). False: one call per
   * committed turn, as a remote engine should get.
   */
  abstract readonly incremental: boolean;
  /** The text, or null when a partial was dropped because the engine is busy (finals are never dropped). */
  abstract transcribe(request: TurnRequest): Promise<string | null>;
}

/**
 * The pipeline's transcribeDecoded() on a turn: the samples go to a private f32le file (the decoded-audio form every
 * engine reads), then the same dispatcher, deadline and engine as a sync request. Finals come first, across sessions:
 * a partial starts only while no final is under way and the engine has a free slot with nobody waiting (else it is
 * dropped: null), and a final that arrives cancels every partial under way, wherever it is: writing its file, waiting
 * in the dispatcher (it leaves the queue) or running in the worker (whisper.cpp's abort callback stops it within one
 * graph node; the worker's slot stays taken until it confirms, so the final never meets a worker that is still busy).
 * So at most `concurrency` partials are ever under way, and none of them holds up a final for more than a cancel.
 */
@Injectable()
export class PipelineTurnTranscriber extends TurnTranscriber {
  private finalsUnderWay = 0;
  /** Partials under way, from the busy check until they end. */
  private partialsUnderWay = 0;
  /** Those of them the next final cancels (all but `keepForFinals`). */
  private readonly cancellable = new Set<AbortController>();

  constructor(
    private readonly pipeline: TranscriptionPipeline,
    private readonly dispatcher: EngineDispatcher,
    private readonly config: AppConfig,
  ) {
    super();
  }

  get incremental(): boolean {
    const { partials } = this.config.realtime;
    return partials === 'on' || (partials === 'auto' && this.config.engine.kind === 'local');
  }

  async transcribe(request: TurnRequest): Promise<string | null> {
    if (request.kind === 'partial') return this.partial(request);
    this.finalsUnderWay += 1;
    for (const partial of this.cancellable) partial.abort(PREEMPTED_BY_FINAL);
    try {
      return await this.decode(request, request.signal);
    } finally {
      this.finalsUnderWay -= 1;
    }
  }

  private async partial(request: TurnRequest): Promise<string | null> {
    const { dispatcher } = this;
    const busy = this.finalsUnderWay > 0 || this.partialsUnderWay >= dispatcher.concurrency || dispatcher.runningCount >= dispatcher.concurrency || dispatcher.queuedCount > 0;
    if (busy) return null;
    this.partialsUnderWay += 1;
    const preempt = new AbortController();
    if (!request.keepForFinals) this.cancellable.add(preempt);
    try {
      return await this.decode(request, AbortSignal.any([request.signal, preempt.signal]));
    } catch (error) {
      // Cancelled for a final: dropped like a partial that never started. The session's own abort still rejects.
      if (preempt.signal.aborted && !request.signal.aborted) return null;
      throw error;
    } finally {
      this.partialsUnderWay -= 1;
      this.cancellable.delete(preempt);
    }
  }

  private async decode(request: TurnRequest, signal: AbortSignal): Promise<string> {
    const { samples, language, prompt } = request;
    const workspace = await TempWorkspace.create(this.config.upload.tmpDir);
    try {
      const path = workspace.file('turn.f32');
      await writeFile(path, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
      const options: TranscribeOptions = {
        task: 'transcribe',
        temperature: 0,
        wordTimestamps: false,
        responseFormat: 'json',
        granularities: defaultGranularities(false),
        // The turn is already speech (the session's own streaming VAD cut it): no second pass.
        vad: { enabled: false },
        ...encoderWindowForTurn(request.kind, samples.length / VAD_SAMPLE_RATE, this.config.realtime, { finalsWaiting: this.finalsUnderWay - (request.kind === 'final' ? 1 : 0) }),
        temperatureFallback: this.config.realtime.temperatureFallback,
        ...(language ? { language } : {}),
        ...(prompt ? { prompt } : {}),
      };
      const result = await this.pipeline.transcribeDecoded({
        audio: { path, durationSeconds: samples.length / VAD_SAMPLE_RATE, sampleRate: VAD_SAMPLE_RATE, warnings: [] },
        options,
        signal,
      });
      return result.text;
    } finally {
      await workspace.dispose();
    }
  }
}
