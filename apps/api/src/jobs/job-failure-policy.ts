import type { ErrorCode } from '@speech/contracts';
import { isDomainError } from '../common/domain-error';
import { YieldedTurn } from '../fair-share/fair-yield';
import { isStorageFault } from '../storage/faults/storage-faults';
import { JobLostError } from './claimed-job';

/** The reason running jobs are aborted with when this process stops: they go back to the queue. */
export class ShuttingDown extends Error {
  constructor() {
    super('the API is shutting down');
  }
}

/** While the store is down, idle workers look again after a growing pause, up to this. */
export const MAX_STORE_BACKOFF_MS = 10_000;

/** The pause after one more failure in a row: doubled, at least one poll interval, at most MAX_STORE_BACKOFF_MS. */
export function nextPauseMs(currentMs: number, pollMs: number): number {
  return Math.min(Math.max(currentMs * 2, pollMs), MAX_STORE_BACKOFF_MS);
}

/**
 * What a run that did not succeed means for its job. `faultPauseMs` is how long workers wait before claiming again
 * after storage faults in a row: each storage fault grows it, other failures keep it (a success resets it).
 */
export type FailureDecision = { readonly faultPauseMs: number } & (
  /**
   * Back to the queue with the attempt given back and finished windows kept: on `shutdown` (a deploy is not the
   * job's fault, so rolling restarts cannot exhaust JOB_MAX_ATTEMPTS), when `yielded` to another key (fair sharing),
   * or on a `storage-fault` (the store or the disk failed, not the job; if even the hand-back fails, the lease
   * expires and a worker takes the job again once the store answers).
   */
  | { readonly action: 'hand-back'; readonly cause: 'shutdown' }
  | { readonly action: 'hand-back'; readonly cause: 'yielded'; readonly toOwner: string }
  | { readonly action: 'hand-back'; readonly cause: 'storage-fault'; readonly code: ErrorCode }
  /** Cancelled, or taken over after our lease lapsed: whoever did that has already written the job's state. */
  | { readonly action: 'leave'; readonly why: string }
  /** The job itself failed and ends `failed` with this error; `bug` holds the stack when it was no DomainError. */
  | { readonly action: 'fail'; readonly error: { readonly code: ErrorCode; readonly message: string }; readonly bug: string | null }
);

/**
 * Decides what an interrupted or failed run means for its job. `reason` is the abort reason when the run was
 * aborted, else the error it threw.
 */
export function decideFailure(reason: unknown, pause: { faultPauseMs: number; pollMs: number }): FailureDecision {
  const { faultPauseMs } = pause;
  if (reason instanceof ShuttingDown) return { action: 'hand-back', cause: 'shutdown', faultPauseMs };
  if (reason instanceof YieldedTurn) return { action: 'hand-back', cause: 'yielded', toOwner: reason.toOwner, faultPauseMs };
  if (isStorageFault(reason)) {
    return { action: 'hand-back', cause: 'storage-fault', code: reason.code, faultPauseMs: nextPauseMs(faultPauseMs, pause.pollMs) };
  }
  if (reason instanceof JobLostError || (isDomainError(reason) && reason.code === 'CANCELLED')) {
    return { action: 'leave', why: reason.message, faultPauseMs };
  }
  if (isDomainError(reason)) return { action: 'fail', error: { code: reason.code, message: reason.message }, bug: null, faultPauseMs };
  const bug = String((reason as Error | undefined)?.stack ?? reason);
  return { action: 'fail', error: { code: 'INTERNAL_ERROR', message: 'The job failed unexpectedly.' }, bug, faultPauseMs };
}

export type CheckFailureDecision = { readonly keepRunning: true } | { readonly keepRunning: false; readonly abortWith: unknown };

/**
 * What to do when the once-a-second check of a running job throws. A store blip does not stop the work while our
 * lease may still hold; once it may have lapsed, another instance may take the job over, so this one stops and
 * leaves the job to the lease. A lost job aborts the engine work as a cancel.
 */
export function decideCheckFailure(error: unknown, leaseExpiresAt: number | undefined, now: number): CheckFailureDecision {
  if (isStorageFault(error) && (leaseExpiresAt ?? 0) > now) return { keepRunning: true };
  return { keepRunning: false, abortWith: error instanceof JobLostError ? error.toDomainError() : error };
}
