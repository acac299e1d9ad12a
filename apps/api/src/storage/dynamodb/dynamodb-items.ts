import { ANONYMOUS_OWNER } from '../../common/anonymous-owner';
import type { JobRecord } from '../job-store.port';

/** Items that are not jobs share the table under prefixed ids. */
export const IDEMPOTENCY_PREFIX = 'idempotency#';
export const WEBHOOK_OUTBOX_PREFIX = 'webhook#';
/** When each owner was last served, for the fair claim order (no jobStatus: never in the status index). */
export const OWNER_CLAIM_PREFIX = 'owner-claim#';
/**
 * Pending webhook deliveries sit in the status index under this pseudo-status, sorted by due time (in
 * `createdAt`), so "what is due" is one Query and never a scan over ended jobs.
 */
export const WEBHOOK_DUE_STATUS = 'webhook-due';

/** DynamoDB removes an item a day after the purge should have (a backstop when no purge ran). */
const TTL_GRACE_SECONDS = 24 * 3600;

export interface JobItem {
  id: string;
  version: number;
  jobStatus: string;
  ownerId: string;
  createdAt: string;
  leaseExpiresAt?: number;
  /** The latest claim, for the fair claim order (read without the document). */
  claimedAtMs?: number;
  expiresAtMs?: number;
  expiresAt?: number;
  doc: string;
}

export function toItem(record: JobRecord): JobItem {
  return {
    id: record.id,
    version: record.version,
    jobStatus: record.status,
    ownerId: record.ownerId,
    createdAt: isoKey(record.createdAt),
    ...(record.status === 'running' ? { leaseExpiresAt: record.lease?.expiresAt ?? 0 } : {}),
    ...(typeof record.claimedAt === 'number' ? { claimedAtMs: record.claimedAt } : {}),
    ...(record.expiresAt !== null
      ? { expiresAtMs: record.expiresAt, expiresAt: Math.ceil(record.expiresAt / 1000) + TTL_GRACE_SECONDS }
      : {}),
    doc: JSON.stringify(record),
  };
}

export function fromItem(item: Record<string, unknown>): JobRecord {
  const record = JSON.parse(item['doc'] as string) as JobRecord;
  // Documents written before jobs had owners (their index entries say 'default'; they age out with retention).
  return record.ownerId ? record : { ...record, ownerId: ANONYMOUS_OWNER };
}

/** Idempotency keys are per owner; an owner id never contains '#', so `<owner>#<key>` cannot collide across owners. */
export function idempotencyItemId(ownerId: string, key: string): string {
  return `${IDEMPOTENCY_PREFIX}${ownerId}#${key}`;
}

export function ownerClaimItemId(ownerId: string): string {
  return `${OWNER_CLAIM_PREFIX}${ownerId}`;
}

/** ISO-8601 with milliseconds: sorts lexically in time order, as the index needs. */
export function isoKey(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function outboxItem(record: JobRecord, dueAt: number) {
  return { id: `${WEBHOOK_OUTBOX_PREFIX}${record.id}`, jobStatus: WEBHOOK_DUE_STATUS, createdAt: isoKey(dueAt), jobId: record.id };
}
