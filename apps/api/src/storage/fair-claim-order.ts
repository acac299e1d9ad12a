import type { AudioFormat, JobStatus } from '@speech/contracts';

/** One owner's share of the queue, as the claim order and the fairness yield see it. */
export interface OwnerQueueState {
  readonly ownerId: string;
  readonly queued: number;
  /** Running jobs, leases expired or not. */
  readonly running: number;
  /** Epoch ms of the latest claim of any of the owner's queued or running jobs; null when none was ever claimed. */
  readonly lastClaimedAt: number | null;
  /** createdAt of the owner's oldest queued job; null when none is queued. */
  readonly oldestQueuedAt: number | null;
}

/**
 * Owners with queued work, in the order their next job should be claimed: fewest running jobs first (equal shares of
 * the workers), then the owner served longest ago (round-robin among equals: an owner whose job just yielded or
 * started goes to the back), then the oldest waiting job. Pure, so both job stores order exactly alike.
 */
export function fairOwnerOrder(states: readonly OwnerQueueState[]): OwnerQueueState[] {
  return states
    .filter((state) => state.queued > 0)
    .sort(
      (a, b) =>
        a.running - b.running ||
        (a.lastClaimedAt ?? -1) - (b.lastClaimedAt ?? -1) ||
        (a.oldestQueuedAt ?? 0) - (b.oldestQueuedAt ?? 0) ||
        (a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0),
    );
}

/** Round-robin over per-owner lists (already in fair order): first of each, then second of each, … up to `limit`. */
export function interleave<T>(lists: readonly (readonly T[])[], limit: number): T[] {
  const out: T[] = [];
  for (let depth = 0; out.length < limit && lists.some((list) => depth < list.length); depth += 1) {
    for (const list of lists) {
      const item = list[depth];
      if (item !== undefined && out.length < limit) out.push(item);
    }
  }
  return out;
}

/**
 * Accumulates per-owner states from (status, owner, createdAt, claimedAt) rows of queued and running jobs, and the
 * owners' remembered last claims (`served`, which outlive the jobs: see JobStore.noteClaim).
 */
export function ownerStatesOf(
  rows: Iterable<{ readonly ownerId: string; readonly status: string; readonly createdAt: number; readonly claimedAt: number | null }>,
  served: ReadonlyMap<string, number> = new Map(),
): OwnerQueueState[] {
  const byOwner = new Map<string, { queued: number; running: number; lastClaimedAt: number | null; oldestQueuedAt: number | null }>();
  for (const row of rows) {
    const state = byOwner.get(row.ownerId) ?? { queued: 0, running: 0, lastClaimedAt: null, oldestQueuedAt: null };
    if (row.status === 'queued') {
      state.queued += 1;
      state.oldestQueuedAt = state.oldestQueuedAt === null ? row.createdAt : Math.min(state.oldestQueuedAt, row.createdAt);
    } else if (row.status === 'running') state.running += 1;
    if (row.claimedAt !== null) state.lastClaimedAt = Math.max(state.lastClaimedAt ?? row.claimedAt, row.claimedAt);
    byOwner.set(row.ownerId, state);
  }
  return [...byOwner].map(([ownerId, state]) => {
    const noted = served.get(ownerId);
    const lastClaimedAt = noted === undefined ? state.lastClaimedAt : Math.max(noted, state.lastClaimedAt ?? noted);
    return { ownerId, ...state, lastClaimedAt };
  });
}

/** One queued or running job of an owner, as the per-key caps count it. */
export interface BacklogEntry {
  readonly status: JobStatus;
  readonly bytes: number;
  readonly format: AudioFormat | null;
  /** Known once the job was decoded; null before. */
  readonly durationSeconds: number | null;
}
