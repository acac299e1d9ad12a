import { writeFile } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { TempWorkspace } from '../common/temp-workspace';
import { AppConfig } from '../config/app-config';
import { EngineDispatcher } from '../pipeline/engine-dispatcher';
import { defaultGranularities, type TranscribeOptions } from '../pipeline/transcribe-options';
import { TranscriptionPipeline } from '../pipeline/transcription-pipeline';
import { VAD_SAMPLE_RATE } from '../vad/speech-detector.port';

export interface TurnRequest {
  /** 16 kHz mono samples of the turn so far (partial) or of the whole turn (final). */
  readonly samples: Float32Array;
  readonly kind: 'partial' | 'final';
  readonly language?: string;
  readonly prompt?: string;
  readonly signal: AbortSignal;
}

/** A turn's audio → text, through the one pipeline (dispatch → engine → tidy). A port so sessions can be tested alone. */
export abstract class TurnTranscriber {
  /** The text, or null when a partial was dropped because the engine is busy (finals are never dropped). */
  abstract transcribe(request: TurnRequest): Promise<string | null>;
}

/**
 * The pipeline's transcribeDecoded() on a turn: the samples go to a private f32le file (the decoded-audio form every
 * engine reads), then the same dispatcher, deadline and engine as a sync request. Finals come first: a partial is
 * dropped (null) rather than queued while every engine slot is taken, anything waits for one, or any session's final
 * is under way. Running partials are not cancelled for a final: the local worker cannot stop inside an encode, and
 * one that misses its cancel grace is killed and reloaded, which costs far more than letting the partial finish.
 */
@Injectable()
export class PipelineTurnTranscriber extends TurnTranscriber {
  private finalsUnderWay = 0;

  constructor(
    private readonly pipeline: TranscriptionPipeline,
    private readonly dispatcher: EngineDispatcher,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async transcribe(request: TurnRequest): Promise<string | null> {
    if (request.kind === 'partial') {
      const busy = this.finalsUnderWay > 0 || this.dispatcher.runningCount >= this.dispatcher.concurrency || this.dispatcher.queuedCount > 0;
      return busy ? null : this.decode(request);
    }
    this.finalsUnderWay += 1;
    try {
      return await this.decode(request);
    } finally {
      this.finalsUnderWay -= 1;
    }
  }

  /** Whether this decode runs the encoder over the turn's audio only (REALTIME_FIT_*): far cheaper for a short turn. */
  private fitted({ kind, samples }: TurnRequest): boolean {
    const { fitPartials, fitFinalMaxSeconds } = this.config.realtime;
    return kind === 'partial' ? fitPartials : samples.length <= fitFinalMaxSeconds * VAD_SAMPLE_RATE;
  }

  private async decode(request: TurnRequest): Promise<string> {
    const { samples, language, prompt, signal } = request;
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
        fitEncoderToAudio: this.fitted(request),
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
