import { Injectable } from '@nestjs/common';
import type { JobEventType } from '@speech/contracts';
import type { JobRecord } from '../storage/job-store.port';

export interface JobChange {
  readonly type: JobEventType;
  readonly record: JobRecord;
}

type Listener = (change: JobChange) => void;

/**
 * Changes this process made to jobs, published right after the store accepted them. SSE streams and the
 * worker pool (to stop a cancelled job at once) listen here; changes made by other processes reach the SSE
 * streams through their store polling instead.
 */
@Injectable()
export class JobEventBus {
  private readonly listeners = new Set<Listener>();

  publish(type: JobEventType, record: JobRecord): void {
    for (const listener of this.listeners) {
      try {
        listener({ type, record });
      } catch {
        // one broken listener must not keep the change from the others
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The event type that announces a record's state: its terminal status, or a plain update. */
export function eventTypeFor(record: JobRecord): JobEventType {
  switch (record.status) {
    case 'succeeded':
      return 'job.succeeded';
    case 'failed':
      return 'job.failed';
    case 'cancelled':
      return 'job.cancelled';
    default:
      return 'job.updated';
  }
}
