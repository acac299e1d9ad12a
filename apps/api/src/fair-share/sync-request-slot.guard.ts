import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { principalOf } from '../auth/caller.decorator';
import { SyncRequestSlots } from './sync-request-slots';

/**
 * Takes the key's sync slot before the upload is read, on routes that are always synchronous (/v1/audio/*); on
 * /transcribe, where `async=true` sits in the unread form, the responder takes it once the form says "sync".
 */
@Injectable()
export class SyncRequestSlotGuard implements CanActivate {
  constructor(private readonly slots: SyncRequestSlots) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    this.slots.take(request, http.getResponse<Response>(), principalOf(request).ownerId);
    return true;
  }
}
