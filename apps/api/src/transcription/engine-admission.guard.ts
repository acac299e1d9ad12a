import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { EngineDispatcher } from '../pipeline/engine-dispatcher';

/**
 * Refuses a synchronous transcription with 503 ENGINE_BUSY (and Retry-After) before its upload is read, when the
 * engine queue is already full and no model's lane has a free slot (the form, and so the model, is unread here). Without it a refused client first uploads and waits for ffmpeg (the load bench
 * measured ~1.7 s p50 for such 503s). The dispatcher still has the last word: requests admitted together may
 * overflow the queue once decoded. Only on routes that are always synchronous (/v1/audio/*): on /transcribe,
 * `async=true` may sit in the form, which is unread at this point.
 */
@Injectable()
export class EngineAdmissionGuard implements CanActivate {
  constructor(private readonly dispatcher: EngineDispatcher) {}

  canActivate(context: ExecutionContext): boolean {
    const refusal = this.dispatcher.refusalForAnyModelNow();
    if (!refusal) return true;
    const request = context.switchToHttp().getRequest<Request>();
    // Do not keep the connection open to drain an upload we will not read.
    if (request.headers['content-length'] !== '0') context.switchToHttp().getResponse<Response>().setHeader('Connection', 'close');
    throw refusal;
  }
}
