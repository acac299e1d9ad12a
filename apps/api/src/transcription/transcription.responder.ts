import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '../common/domain-error';
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
  ) {}

  async respond(request: RequestWithUpload, response: Response, parsed: TranscriptionRequest, flavour: 'native' | 'openai'): Promise<void> {
    const upload = request.upload;
    if (!upload) throw new DomainError('MISSING_FILE');
    const disconnected = abortOnDisconnect(response);
    try {
      // A client that hangs up, or the end of the shutdown grace period (→ 503 SHUTTING_DOWN), stops the engine work.
      const signal = AbortSignal.any([disconnected.signal, this.shutdown.graceExpired]);
      const result = await this.transcription.transcribe({ upload, options: parsed.options, signal });
      const formatted = formatResult(result, {
        format: parsed.responseFormat,
        task: parsed.options.task,
        temperature: parsed.options.temperature,
        granularities: parsed.granularities,
        flavour,
      });
      response.status(200).type(formatted.contentType).send(formatted.body);
    } finally {
      disconnected.dispose();
    }
  }
}

/** A client that hangs up cancels its work: the response's 'close' before it finished means the socket went away. */
function abortOnDisconnect(response: Response): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onClose = () => {
    if (!response.writableFinished) {
      controller.abort(new DomainError('CANCELLED', 'The client closed the connection.'));
    }
  };
  response.on('close', onClose);
  return { signal: controller.signal, dispose: () => response.off('close', onClose) };
}
