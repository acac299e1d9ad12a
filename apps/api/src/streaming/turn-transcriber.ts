import { writeFile } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
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
 * engine reads), then the same dispatcher, deadline and engine as a sync request. Finals come first: when every
 * engine slot is taken a partial is dropped rather than queued, and a final that arrives cancels the partials still
 * running (of any session) so it does not wait behind work whose text would soon be stale.
 */
@Injectable()
export class PipelineTurnTranscriber extends TurnTranscriber {
  private readonly partials = new Set<AbortController>();

  constructor(
    private readonly pipeline: TranscriptionPipeline,
    private readonly dispatcher: EngineDispatcher,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async transcribe(request: TurnRequest): Promise<string | null> {
    if (request.kind === 'final') {
      for (const partial of this.partials) partial.abort(new DomainError('CANCELLED', 'A final decode needs the engine.'));
      return this.decode(request, request.signal);
    }
    if (this.dispatcher.runningCount >= this.dispatcher.concurrency || this.dispatcher.queuedCount > 0) return null;
    const own = new AbortController();
    const forward = () => own.abort(request.signal.reason);
    request.signal.addEventListener('abort', forward, { once: true });
    this.partials.add(own);
    try {
      return await this.decode(request, own.signal);
    } catch (error) {
      // Cancelled for a final: the partial is dropped, as if the engine had been busy.
      if (own.signal.aborted && !request.signal.aborted) return null;
      throw error;
    } finally {
      this.partials.delete(own);
      request.signal.removeEventListener('abort', forward);
    }
  }

  private async decode({ samples, language, prompt }: TurnRequest, signal: AbortSignal): Promise<string> {
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
