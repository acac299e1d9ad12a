import { type BacklogEntry, type InsertOutcome, type JobListQuery, type JobPage, type JobRecord, JobStore, type OwnerQueueState } from '../job-store.port';
import { mapStorageErrors } from './storage-faults';

/**
 * The job store as the rest of the API sees it: the adapter's own failures (DynamoDB unreachable or throttling,
 * SQLite busy or out of disk) arrive as STORAGE_UNAVAILABLE / INSUFFICIENT_STORAGE instead of raw SDK errors.
 */
export class FaultMappingJobStore extends JobStore {
  readonly kind: JobStore['kind'];

  constructor(private readonly inner: JobStore) {
    super();
    this.kind = inner.kind;
  }

  init(): Promise<void> {
    return this.guard(() => this.inner.init());
  }

  insert(record: JobRecord): Promise<InsertOutcome> {
    return this.guard(() => this.inner.insert(record));
  }

  get(id: string): Promise<JobRecord | null> {
    return this.guard(() => this.inner.get(id));
  }

  replace(next: JobRecord, expectedVersion: number): Promise<boolean> {
    return this.guard(() => this.inner.replace(next, expectedVersion));
  }

  delete(id: string): Promise<void> {
    return this.guard(() => this.inner.delete(id));
  }

  list(query: JobListQuery): Promise<JobPage> {
    return this.guard(() => this.inner.list(query));
  }

  listClaimable(now: number, limit: number): Promise<JobRecord[]> {
    return this.guard(() => this.inner.listClaimable(now, limit));
  }

  noteClaim(ownerId: string, at: number): Promise<void> {
    return this.guard(() => this.inner.noteClaim(ownerId, at));
  }

  ownerQueues(): Promise<OwnerQueueState[]> {
    return this.guard(() => this.inner.ownerQueues());
  }

  ownerBacklog(ownerId: string): Promise<BacklogEntry[]> {
    return this.guard(() => this.inner.ownerBacklog(ownerId));
  }

  listWebhooksDue(now: number, limit: number): Promise<JobRecord[]> {
    return this.guard(() => this.inner.listWebhooksDue(now, limit));
  }

  sweepWebhooksDue(now: number, limit: number): Promise<number> {
    return this.guard(() => this.inner.sweepWebhooksDue(now, limit));
  }

  listExpired(now: number, limit: number): Promise<JobRecord[]> {
    return this.guard(() => this.inner.listExpired(now, limit));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private guard<T>(call: () => Promise<T>): Promise<T> {
    return mapStorageErrors('job store', call);
  }
}
