import type { JobError, JobStatus } from '@speech/contracts';
import type { JobsConfig } from '../config/app-config';
import type { JobRecord } from '../storage/job-store.port';
import type { JobChanges } from './job-record';

/**
 * What every ending has in common: times, the retention clock, the lease released, and — when the job has a
 * callback_url — a webhook delivery due now (written in the same store write, so it cannot be lost).
 */
export function endChanges(
  record: JobRecord,
  status: Extract<JobStatus, 'succeeded' | 'failed' | 'cancelled'>,
  error: JobError | null,
  now: number,
  config: Pick<JobsConfig, 'resultTtlHours'>,
): JobChanges {
  return {
    status,
    error,
    finishedAt: now,
    lease: null,
    etaSeconds: null,
    ...(status === 'succeeded' ? { progress: 1 } : {}),
    expiresAt: now + config.resultTtlHours * 3_600_000,
    webhook: { deliveries: record.webhook.deliveries, dueAt: record.callbackUrl ? now : null },
  };
}

/** A queued or running job whose attempts are used up fails with this error instead of starting again. */
export function attemptsExhausted(record: JobRecord): JobError {
  return {
    code: 'JOB_ATTEMPTS_EXHAUSTED',
    message: `The job was started ${record.attempts} times (limit ${record.maxAttempts}) and its worker stopped each time before it finished.`,
  };
}
