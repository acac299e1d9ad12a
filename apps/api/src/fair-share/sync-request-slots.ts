import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ANONYMOUS_OWNER } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';

const HOLDS_SLOT = Symbol('holds a sync request slot');

/**
 * Synchronous transcriptions in flight per key in this process (SYNC_MAX_CONCURRENT_PER_KEY), so one key cannot fill
 * the engine queue that every key shares. A slot is taken once per request and given back when its response closes
 * (finished, failed or the client hung up). Callers without a key (keys optional) are not capped: the engine queue's
 * own bound (503 ENGINE_BUSY) is their limit.
 */
@Injectable()
export class SyncRequestSlots {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly config: AppConfig) {}

  /** Takes a slot for the request's owner, or throws TOO_MANY_CONCURRENT_REQUESTS (429, Retry-After). Idempotent per request. */
  take(request: Request, response: Response, ownerId: string): void {
    const cap = this.config.fairShare.maxSyncPerKey;
    const marked = request as Request & { [HOLDS_SLOT]?: boolean };
    if (cap === 0 || ownerId === ANONYMOUS_OWNER || marked[HOLDS_SLOT]) return;
    const current = this.inFlight.get(ownerId) ?? 0;
    if (current >= cap) {
      throw new DomainError('TOO_MANY_CONCURRENT_REQUESTS', undefined, { limit: cap }, 1);
    }
    marked[HOLDS_SLOT] = true;
    this.inFlight.set(ownerId, current + 1);
    response.once('close', () => this.release(ownerId));
  }

  count(ownerId: string): number {
    return this.inFlight.get(ownerId) ?? 0;
  }

  private release(ownerId: string): void {
    const left = (this.inFlight.get(ownerId) ?? 1) - 1;
    if (left > 0) this.inFlight.set(ownerId, left);
    else this.inFlight.delete(ownerId);
  }
}
