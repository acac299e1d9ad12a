import { Injectable, Logger } from '@nestjs/common';
import type { AudioWarning, TranscriptionResult } from '@speech/contracts';
import type { Response } from 'express';
import { principalOf } from '../auth/caller.decorator';
import { DomainError } from '../common/domain-error';
import { openAiErrorBody, problemBody } from '../common/error-body';
import { describeError } from '../common/http-error.filter';
import { currentRequestId } from '../common/request-context';
import { SyncRequestSlots } from '../fair-share/sync-request-slots';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { formatTranscript } from '../pipeline/format-transcript';
import type { TranscribeOptions } from '../pipeline/transcribe-options';
import { TranscriptionPipeline } from '../pipeline/transcription-pipeline';
import { DECODED_FILE_NAME, type RequestWithUpload, uploadFilePath } from '../upload/audio-upload.interceptor';
import { EventStreamWriter } from './event-stream-response';
import { StreamedTranscriptText, transcriptDoneEvent, transcriptStreamEvents } from '../streaming/transcript-stream-events';

export const AUDIO_WARNING_HEADER = 'X-Audio-Warning';

/** A finished sync transcription, ready for the controller to send with 200. */
export interface SyncAnswer {
  readonly contentType: string;
  readonly body: string;
  /** X-Audio-Warning when part of the audio could not be decoded; every format says so, text and subtitles too. */
  readonly headers: Record<string, string>;
}

/**
 * A synchronous transcription on the native and the OpenAI routes: take the caller's sync slot, tie the engine work
 * to the connection, run the upload through the pipeline, format the transcript.
 */
@Injectable()
export class SyncTranscription {
  private readonly logger = new Logger('SyncTranscription');

  constructor(
    private readonly pipeline: TranscriptionPipeline,
    private readonly shutdown: ShutdownState,
    private readonly slots: SyncRequestSlots,
  ) {}

  async run(request: RequestWithUpload, response: Response, options: TranscribeOptions, flavour: 'native' | 'openai'): Promise<SyncAnswer> {
    const result = await this.transcribe(request, response, options);
    return { ...formatTranscript(result, options, flavour), headers: warningHeaders(result) };
  }

  /**
   * The same, answered as server-sent `transcript.text.*` events (stream=true); errors before this are plain HTTP
   * answers. On the native route the last event also carries the whole result (no second request for the segments).
   */
  async stream(request: RequestWithUpload, response: Response, options: TranscribeOptions, flavour: 'native' | 'openai'): Promise<void> {
    let headers: Record<string, string> = {};
    const events = new EventStreamWriter(response, () => headers);
    const text = new StreamedTranscriptText();
    // With VAD (the default) each speech chunk's text goes out as the engine returns it, while the rest is transcribed.
    const onText = (piece: string, warnings: readonly AudioWarning[]) => {
      headers = warningHeadersOf(warnings);
      const delta = text.next(piece);
      if (delta.length > 0) events.write({ type: 'transcript.text.delta', delta });
    };
    let result: TranscriptionResult;
    try {
      result = await this.transcribe(request, response, options, onText);
    } catch (error) {
      if (!events.started) throw error; // nothing written yet: a plain HTTP error, as before
      this.endWithError(events, error, flavour);
      return;
    }
    if (!events.started) {
      // No text came early (VAD off, or no speech): the whole answer at once, a delta per segment.
      headers = warningHeaders(result);
      for (const event of transcriptStreamEvents(result, flavour)) events.write(event);
      events.end();
      return;
    }
    const rest = text.rest(result.text);
    if (rest.length > 0) events.write({ type: 'transcript.text.delta', delta: rest });
    events.write(transcriptDoneEvent(result, flavour));
    events.end();
  }

  /**
   * A failure after text went out cannot be an HTTP status any more: it is the stream's last event, `data` with an
   * `error` member (what OpenAI's SDK raises as an APIError), with our stable code and the request id.
   */
  private endWithError(events: EventStreamWriter, error: unknown, flavour: 'native' | 'openai'): void {
    const described = describeError(error);
    if (described.code === 'INTERNAL_ERROR') this.logger.error(error instanceof Error ? error : String(error));
    if (described.code !== 'CANCELLED') {
      const requestId = currentRequestId();
      const body = flavour === 'openai' ? { ...openAiErrorBody(described).error, ...(requestId ? { request_id: requestId } : {}) } : problemBody(described, requestId);
      events.write({ type: 'error', error: body });
    }
    events.end();
  }

  private async transcribe(request: RequestWithUpload, response: Response, options: TranscribeOptions, onText?: (text: string, warnings: readonly AudioWarning[]) => void): Promise<TranscriptionResult> {
    const upload = request.upload;
    if (!upload) throw new DomainError('MISSING_FILE');
    // Already taken by the guard on /v1/audio/*; on /transcribe only now is it known that the request is synchronous.
    this.slots.take(request, response, principalOf(request).ownerId);
    // A client that hangs up, or the end of the shutdown grace period (→ 503 SHUTTING_DOWN), stops the engine work.
    const stop = abortOnDisconnectOrGraceEnd(response, this.shutdown.graceExpired);
    try {
      const { format, decodedOnArrival } = upload;
      return await this.pipeline.transcribe({
        // Sniffed while the upload arrived; decoded then too when a decode slot was free, else the file is decoded now.
        input: decodedOnArrival ? { format, decodedOnArrival } : { path: uploadFilePath(upload), format },
        decodedPath: upload.workspace.file(DECODED_FILE_NAME),
        options,
        signal: stop.signal,
        onText,
      });
    } finally {
      stop.dispose();
    }
  }
}

function warningHeaders(result: TranscriptionResult): Record<string, string> {
  return warningHeadersOf(result.warnings ?? []);
}

function warningHeadersOf(warnings: readonly AudioWarning[]): Record<string, string> {
  return warnings.length > 0 ? { [AUDIO_WARNING_HEADER]: warnings.map((warning) => warning.code).join(', ') } : {};
}

/**
 * A per-request signal that aborts when the client hangs up (the response's 'close' before it finished) or when the
 * shutdown grace period ends. Not AbortSignal.any([…, graceExpired]): on Node 20 every such combination stays
 * attached to the process-long signal and is never collected (a leak of one signal per request); here the
 * listener is removed when the request ends.
 */
function abortOnDisconnectOrGraceEnd(response: Response, graceExpired: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onClose = () => {
    if (!response.writableFinished) {
      controller.abort(new DomainError('CANCELLED', 'The client closed the connection.'));
    }
  };
  const onGraceEnd = () => controller.abort(graceExpired.reason);
  response.on('close', onClose);
  if (graceExpired.aborted) onGraceEnd();
  else graceExpired.addEventListener('abort', onGraceEnd, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      response.off('close', onClose);
      graceExpired.removeEventListener('abort', onGraceEnd);
    },
  };
}
