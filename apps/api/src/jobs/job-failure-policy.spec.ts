import { DomainError } from '../common/domain-error';
import { YieldedTurn } from '../fair-share/fair-yield';
import { storageFault } from '../storage/faults/storage-faults';
import type { JobRecord } from '../storage/job-store.port';
import { JobLostError } from './claimed-job';
import {
  decideCheckFailure,
  decideFailure,
  type CheckFailureDecision,
  type FailureDecision,
  MAX_STORE_BACKOFF_MS,
  nextPauseMs,
  ShuttingDown,
} from './job-failure-policy';

const POLL_MS = 500;
const storeDown = storageFault(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'job store') as DomainError;
const diskFull = storageFault(Object.assign(new Error('no space'), { code: 'ENOSPC' }), 'blob store') as DomainError;
const cancelled = new JobLostError({ status: 'cancelled' } as JobRecord);
const takenOver = new JobLostError({ status: 'running' } as JobRecord);
const bug = new TypeError('x is undefined');

describe('decideFailure', () => {
  // [what happened, abort reason or thrown error, fault pause before, expected decision]
  const cases: Array<[string, unknown, number, FailureDecision]> = [
    ['shutdown hands the job back and keeps the pause', new ShuttingDown(), 2000, { action: 'hand-back', cause: 'shutdown', faultPauseMs: 2000 }],
    ['a fairness yield hands the job back to the named key', new YieldedTurn('key_b'), 0, { action: 'hand-back', cause: 'yielded', toOwner: 'key_b', faultPauseMs: 0 }],
    ['a first storage fault hands back and pauses one poll', storeDown, 0, { action: 'hand-back', cause: 'storage-fault', code: 'STORAGE_UNAVAILABLE', faultPauseMs: POLL_MS }],
    ['storage faults in a row double the pause', storeDown, 2000, { action: 'hand-back', cause: 'storage-fault', code: 'STORAGE_UNAVAILABLE', faultPauseMs: 4000 }],
    ['the pause stops growing at the maximum', storeDown, 8000, { action: 'hand-back', cause: 'storage-fault', code: 'STORAGE_UNAVAILABLE', faultPauseMs: MAX_STORE_BACKOFF_MS }],
    ['a full disk is a storage fault too', diskFull, 0, { action: 'hand-back', cause: 'storage-fault', code: 'INSUFFICIENT_STORAGE', faultPauseMs: POLL_MS }],
    ['a cancel seen by the watch leaves the job to whoever cancelled it', cancelled, 1000, { action: 'leave', why: 'the job was cancelled', faultPauseMs: 1000 }],
    ['a take-over leaves the job to the new holder', takenOver, 0, { action: 'leave', why: 'the job was taken over by another worker', faultPauseMs: 0 }],
    ['a CANCELLED abort from this process leaves the job', new DomainError('CANCELLED', 'The job was cancelled.'), 0, { action: 'leave', why: 'The job was cancelled.', faultPauseMs: 0 }],
    ['an engine error fails the job with its code', new DomainError('ENGINE_TIMEOUT', 'too slow'), 1000, { action: 'fail', error: { code: 'ENGINE_TIMEOUT', message: 'too slow' }, bug: null, faultPauseMs: 1000 }],
    ['bad audio fails the job with its code', new DomainError('UNSUPPORTED_MEDIA', 'not audio'), 0, { action: 'fail', error: { code: 'UNSUPPORTED_MEDIA', message: 'not audio' }, bug: null, faultPauseMs: 0 }],
    ['a bug fails the job as INTERNAL_ERROR and keeps the stack', bug, 0, { action: 'fail', error: { code: 'INTERNAL_ERROR', message: 'The job failed unexpectedly.' }, bug: String(bug.stack), faultPauseMs: 0 }],
    ['a thrown non-error fails the job as INTERNAL_ERROR', 'boom', 0, { action: 'fail', error: { code: 'INTERNAL_ERROR', message: 'The job failed unexpectedly.' }, bug: 'boom', faultPauseMs: 0 }],
    ['an undefined reason fails the job as INTERNAL_ERROR', undefined, 0, { action: 'fail', error: { code: 'INTERNAL_ERROR', message: 'The job failed unexpectedly.' }, bug: 'undefined', faultPauseMs: 0 }],
  ];

  it.each(cases)('%s', (_name, reason, faultPauseMs, expected) => {
    expect(decideFailure(reason, { faultPauseMs, pollMs: POLL_MS })).toEqual(expected);
  });
});

describe('nextPauseMs', () => {
  it.each([
    [0, POLL_MS],
    [100, POLL_MS],
    [POLL_MS, 2 * POLL_MS],
    [3000, 6000],
    [6000, MAX_STORE_BACKOFF_MS],
    [MAX_STORE_BACKOFF_MS, MAX_STORE_BACKOFF_MS],
  ])('after a pause of %i ms the next is %i ms', (current, next) => {
    expect(nextPauseMs(current, POLL_MS)).toBe(next);
  });
});

describe('decideCheckFailure', () => {
  const now = 1_000_000;
  const cases: Array<[string, unknown, number | undefined, CheckFailureDecision]> = [
    ['a store blip while the lease holds keeps the job running', storeDown, now + 1, { keepRunning: true }],
    ['a store blip once the lease may have lapsed stops the run', storeDown, now, { keepRunning: false, abortWith: storeDown }],
    ['a store blip with no lease stops the run', storeDown, undefined, { keepRunning: false, abortWith: storeDown }],
    ['a cancel elsewhere aborts the engine as CANCELLED', cancelled, now + 1, { keepRunning: false, abortWith: new DomainError('CANCELLED', 'The job was cancelled.') }],
    [
      'a take-over aborts the engine as CANCELLED',
      takenOver,
      now + 1,
      { keepRunning: false, abortWith: new DomainError('CANCELLED', 'The job was taken over by another worker after this one lost its lease.') },
    ],
    ['any other error stops the run with that error', bug, now + 1, { keepRunning: false, abortWith: bug }],
  ];

  it.each(cases)('%s', (_name, error, leaseExpiresAt, expected) => {
    const decision = decideCheckFailure(error, leaseExpiresAt, now);
    expect(decision).toEqual(expected);
    if (!decision.keepRunning && !expected.keepRunning && expected.abortWith instanceof DomainError) {
      expect(decision.abortWith).toMatchObject({ code: expected.abortWith.code, message: expected.abortWith.message });
    }
  });
});
