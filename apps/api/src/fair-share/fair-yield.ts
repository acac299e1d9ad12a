import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { type JobRecord, JobStore } from '../storage/job-store.port';

/** Thrown between two windows when a job gives its worker to another key's waiting job; the pool requeues it. */
export class YieldedTurn extends Error {
  constructor(readonly toOwner: string) {
    super('the job gave its worker to another key and waits in the queue again');
    this.name = 'YieldedTurn';
  }
}

/**
 * Time-slicing between keys. Claims are ordered fairly (storage/fair-claim-order.ts), but a worker busy with a long
 * job would still make a newly arrived key wait for the whole job. So between two windows, once the job has held
 * its worker for JOB_FAIR_SLICE_SECONDS, it yields if another key with queued work has fewer running jobs than this
 * job's key: its finished windows are kept, and the next claim goes to that key.
 */
@Injectable()
export class FairYield {
  constructor(
    private readonly store: JobStore,
    private readonly config: AppConfig,
  ) {}

  /** The owner this job should yield to, or null to keep going. */
  async yieldTo(record: JobRecord, now = Date.now()): Promise<string | null> {
    const heldSince = record.claimedAt ?? record.startedAt ?? now;
    if (now - heldSince < this.config.fairShare.sliceSeconds * 1000) return null;
    return waitingOwnerWithLessShare(await this.store.ownerQueues(), record.ownerId);
  }
}

/** Another owner with queued jobs and fewer running than `ownerId` (whose count includes the asking job). */
export function waitingOwnerWithLessShare(
  states: ReadonlyArray<{ readonly ownerId: string; readonly queued: number; readonly running: number }>,
  ownerId: string,
): string | null {
  const mine = states.find((state) => state.ownerId === ownerId)?.running ?? 1;
  const waiting = states
    .filter((state) => state.ownerId !== ownerId && state.queued > 0 && state.running < mine)
    .sort((a, b) => a.running - b.running);
  return waiting[0]?.ownerId ?? null;
}
