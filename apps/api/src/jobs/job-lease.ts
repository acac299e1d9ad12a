import type { JobsConfig } from '../config/app-config';
import type { JobRecord, JobStore } from '../storage/job-store.port';
import type { JobEventBus } from './job-event-bus';
import { nextVersion } from './job-record';
import { attemptsExhausted, endChanges } from './job-transitions';

export type ClaimConfig = Pick<JobsConfig, 'leaseSeconds' | 'resultTtlHours'>;

/**
 * Tries to take one candidate (queued, or running with an expired lease) for `owner`. The write is a
 * compare-and-set on the version the candidate was read at, so of several workers — in this process or
 * another — exactly one wins. A candidate whose attempts are used up is failed instead (JOB_ATTEMPTS_EXHAUSTED).
 */
export async function tryClaim(
  store: JobStore,
  bus: JobEventBus,
  candidate: JobRecord,
  owner: string,
  config: ClaimConfig,
  now = Date.now(),
): Promise<JobRecord | null> {
  const takeable =
    candidate.status === 'queued' || (candidate.status === 'running' && (candidate.lease?.expiresAt ?? 0) < now);
  if (!takeable) return null;
  if (candidate.attempts >= candidate.maxAttempts) {
    const failed = nextVersion(candidate, endChanges(candidate, 'failed', attemptsExhausted(candidate), now, config), now);
    if (await store.replace(failed, candidate.version)) bus.publish('job.failed', failed);
    return null;
  }
  const claimed = nextVersion(
    candidate,
    {
      status: 'running',
      lease: { owner, expiresAt: now + config.leaseSeconds * 1000 },
      attempts: candidate.attempts + 1,
      startedAt: candidate.startedAt ?? now,
      claimedAt: now,
      etaSeconds: null,
    },
    now,
  );
  if (!(await store.replace(claimed, candidate.version))) return null;
  // For the fair order only: a lost note costs a little fairness, never the claim.
  await store.noteClaim(candidate.ownerId, now).catch(() => undefined);
  bus.publish('job.updated', claimed);
  return claimed;
}

/** Claims the first job it can among what the store offers; null when there is nothing to do. */
export async function claimNext(store: JobStore, bus: JobEventBus, owner: string, config: ClaimConfig, batch = 8): Promise<JobRecord | null> {
  const candidates = await store.listClaimable(Date.now(), batch);
  for (const candidate of candidates) {
    const claimed = await tryClaim(store, bus, candidate, owner, config);
    if (claimed) return claimed;
  }
  return null;
}
