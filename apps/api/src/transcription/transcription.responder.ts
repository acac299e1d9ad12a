import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { principalOf } from '../auth/caller.decorator';
import { DomainError } from '../common/domain-error';
import { SyncRequestSlots } from '../fair-share/sync-request-slots';
import { ShutdownState } from '../lifecycle/shutdown-state';
import type { RequestWithUpload } from '../upload/audio-upload.interceptor';
import { formatResult } from './formatters/format-result';
import type { TranscriptionRequest } from './transcription-request.parser';
import { TranscriptionService } from './transcription.service';

/** Shared by the native and the OpenAI routes: run the transcription, tie it to the connection, format the answer. */
@Injectable()
export class TranscriptionResponder {
  constructor(
    private readonly transcription: TranscriptionService,
    private readonly shutdown: ShutdownState,
    private readonly slots: SyncRequestSlots,
  ) {}

  async respond(request: RequestWithUpload, response: Response, parsed: TranscriptionRequest, flavour: 'native' | 'openai'): Promise<void> {
    const upload = request.upload;
    if (!upload) throw new DomainError('MISSING_FILE');
    // Already taken by the guard on /v1/audio/*; on /transcribe only now is it known that the request is synchronous.
    this.slots.take(request, response, principalOf(request).ownerId);
    // A client that hangs up, or the end of the shutdown grace period (→ 503 SHUTTING_DOWN), stops the engine work.
    const stop = abortOnDisconnectOrGraceEnd(response, this.shutdown.graceExpired);
    try {
      const signal = stop.signal;
      const result = await this.transcription.transcribe({ upload, options: parsed.options, signal });
      const formatted = formatResult(result, {
        format: parsed.responseFormat,
        task: parsed.options.task,
        temperature: parsed.options.temperature,
        granularities: parsed.granularities,
        flavour,
        subtitles: parsed.subtitles,
      });
      // Every response format (text and subtitles too) says when part of the audio could not be decoded.
      if (result.warnings?.length) response.setHeader(AUDIO_WARNING_HEADER, result.warnings.map((warning) => warning.code).join(', '));
      response.status(200).type(formatted.contentType).send(formatted.body);
    } finally {
      stop.dispose();
    }
  }
}

/**
 * A per-request signal that aborts when the client hangs up (the response's 'close' before it finished) or when the
 * shutdown grace period ends. Not AbortSignal.any([…, graceExpired]): on Node 20 every such combination stays
 * attached to the process-long signal and is never collected (a leak of one signal per request); here the
 * listener is removed when the request ends.
 */
export const AUDIO_WARNING_HEADER = 'X-Audio-Warning';

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
