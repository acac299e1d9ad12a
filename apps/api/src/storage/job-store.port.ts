import type { AudioFormat, JobError, JobOptions, JobStatus, WebhookDelivery } from '@speech/contracts';
import type { BacklogEntry, OwnerQueueState } from './fair-claim-order';

export type { BacklogEntry, OwnerQueueState } from './fair-claim-order';

/** A worker's claim on a running job; another instance may take the job over once `expiresAt` has passed. */
export interface JobLease {
  readonly owner: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/**
 * A job as stored. Times are epoch milliseconds. Every write replaces the whole record and bumps `version`;
 * the store accepts a write only while the stored version is the one the writer read (optimistic concurrency),
 * which is what keeps two API processes from both claiming, finishing or cancelling the same job.
 */
export interface JobRecord {
  readonly id: string;
  readonly version: number;
  /** Who may see and change the job: the creating API key's id, or ANONYMOUS_OWNER (common/anonymous-owner.ts). */
  readonly ownerId: string;
  readonly status: JobStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly startedAt: number | null;
  /**
   * Epoch ms of the latest claim (a start, a restart after a fairness yield or a take-over); the claim order serves
   * the owner claimed longest ago first. Absent in documents written before fair sharing.
   */
  readonly claimedAt?: number | null;
  readonly finishedAt: number | null;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly error: JobError | null;
  readonly options: JobOptions;
  readonly audio: {
    readonly filename: string | null;
    readonly bytes: number;
    readonly format: AudioFormat | null;
    readonly durationSeconds: number | null;
    /** False once the uploaded audio has been deleted from the blob store. */
    readonly stored: boolean;
  };
  /** 0..1. */
  readonly progress: number;
  readonly etaSeconds: number | null;
  readonly windows: { readonly total: number; readonly done: number };
  readonly lease: JobLease | null;
  readonly callbackUrl: string | null;
  readonly webhook: {
    readonly deliveries: readonly WebhookDelivery[];
    /** Epoch ms at which the next delivery is due; null when none is pending. */
    readonly dueAt: number | null;
  };
  readonly idempotencyKey: string | null;
  /** Fingerprint of the create request, to tell a replay from a different request under the same key. */
  readonly requestHash: string | null;
  /** Epoch ms after which the purge deletes the job and its blobs; null while the job has not ended. */
  readonly expiresAt: number | null;
}

export type InsertOutcome =
  | { readonly inserted: true }
  /** The idempotency key was taken: this is the job created under it. */
  | { readonly inserted: false; readonly existing: JobRecord };

export interface JobListQuery {
  /** Only this owner's jobs; undefined lists every owner's (admin). */
  readonly ownerId?: string;
  readonly statuses?: readonly JobStatus[];
  /** 1..100. */
  readonly limit: number;
  /** Opaque, from a previous page's `nextCursor`. */
  readonly cursor?: string;
}

export interface JobPage {
  /** Newest first. */
  readonly records: JobRecord[];
  readonly nextCursor: string | null;
}

/**
 * Where jobs live. The abstract class is its own DI token; adapters: sqlite/ (embedded, default) and
 * dynamodb/ (AWS). Both pass test/contracts/job-store.contract.ts.
 */
export abstract class JobStore {
  abstract readonly kind: 'sqlite' | 'dynamodb';
  /** Creates the table(s) when missing; idempotent. */
  abstract init(): Promise<void>;
  /**
   * Inserts a new record (version 1). With an idempotency key already used by the same owner, answers the job created
   * under it; the same key from another owner is another key.
   */
  abstract insert(record: JobRecord): Promise<InsertOutcome>;
  abstract get(id: string): Promise<JobRecord | null>;
  /** Stores `next` only if the stored record is still at `expectedVersion`; false when another writer came first. */
  abstract replace(next: JobRecord, expectedVersion: number): Promise<boolean>;
  abstract delete(id: string): Promise<void>;
  abstract list(query: JobListQuery): Promise<JobPage>;
  /**
   * Queued jobs in fair order (storage/fair-claim-order.ts): owners by fewest running jobs, then served longest ago,
   * then oldest waiting job; round-robin across owners, each owner's jobs oldest first. Then running jobs whose lease
   * expired before `now`.
   */
  abstract listClaimable(now: number, limit: number): Promise<JobRecord[]>;
  /**
   * Remembers that `ownerId` was served (a job of it claimed) at `at`, beyond the life of that job: the fair order
   * serves the owner claimed longest ago first, also after its running job has ended. Keeps the latest time.
   */
  abstract noteClaim(ownerId: string, at: number): Promise<void>;
  /** Every owner with queued or running jobs, with its counts (the fairness yield's view of the queue). */
  abstract ownerQueues(): Promise<OwnerQueueState[]>;
  /** One owner's queued and running jobs, for the per-key caps. */
  abstract ownerBacklog(ownerId: string): Promise<BacklogEntry[]>;
  /** Jobs with a webhook delivery due at or before `now`. A pure read: it never writes, also not to tidy up. */
  abstract listWebhooksDue(now: number, limit: number): Promise<JobRecord[]>;
  /**
   * The write step beside `listWebhooksDue`: tidies the store's own due-delivery bookkeeping among what is due by
   * `now` (entries of jobs gone or delivered are dropped, those of jobs due later re-filed), so stale entries cannot
   * crowd out due ones. Returns how many it changed; stores whose bookkeeping is part of the job row (SQLite) have
   * nothing to tidy. The webhook deliverer calls it before each look at what is due.
   */
  abstract sweepWebhooksDue(now: number, limit: number): Promise<number>;
  /** Ended jobs whose `expiresAt` has passed. */
  abstract listExpired(now: number, limit: number): Promise<JobRecord[]>;
  abstract close(): Promise<void>;
}
