import type { JobEventType } from '@speech/contracts';
import { DomainError } from '../common/domain-error';
import type { JobRecord, JobStore } from '../storage/job-store.port';
import type { JobEventBus } from './job-event-bus';
import { type JobChanges, nextVersion } from './job-record';

/** The job is no longer ours: it was cancelled, or our lease lapsed and another worker took it over. */
export class JobLostError extends Error {
  constructor(readonly current: JobRecord | null) {
    super(current?.status === 'cancelled' ? 'the job was cancelled' : 'the job was taken over by another worker');
    this.name = 'JobLostError';
  }

  /** The abort reason the engine sees. */
  toDomainError(): DomainError {
    return this.current?.status === 'cancelled'
      ? new DomainError('CANCELLED', 'The job was cancelled.')
      : new DomainError('CANCELLED', 'The job was taken over by another worker after this one lost its lease.');
  }
}

/**
 * A job this worker holds. All its writes go through here, one at a time, each a compare-and-set on the
 * version last written; a conflict means someone else changed the job (a cancel, or a take-over after our
 * lease lapsed), and the write fails with JobLostError instead of overwriting theirs.
 */
export class ClaimedJob {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private current: JobRecord,
    private readonly owner: string,
    private readonly store: JobStore,
    private readonly bus: JobEventBus,
    private readonly leaseMs: number,
  ) {}

  get record(): JobRecord {
    return this.current;
  }

  get id(): string {
    return this.current.id;
  }

  /** Applies `change` to the latest record; the lease is extended with every write. */
  update(change: (record: JobRecord) => JobChanges, type: JobEventType = 'job.updated'): Promise<JobRecord> {
    const run = this.queue.then(async () => {
      // Once this worker has written the job's end (or handed it back) it holds nothing to write to.
      if (this.current.status !== 'running') throw new JobLostError(this.current);
      const now = Date.now();
      const changes = change(this.current);
      const lease = changes.status && changes.status !== 'running' ? null : { owner: this.owner, expiresAt: now + this.leaseMs };
      const next = nextVersion(this.current, { lease, ...changes }, now);
      if (await this.store.replace(next, this.current.version)) {
        this.current = next;
        this.bus.publish(type, next);
        return next;
      }
      throw new JobLostError(await this.store.get(this.current.id));
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Back to the queue, keeping finished windows and progress, with the attempt this claim used given back. */
  handBack(): Promise<JobRecord> {
    return this.update((record) => ({ status: 'queued', progress: record.progress, etaSeconds: null, attempts: Math.max(0, record.attempts - 1) }));
  }

  /**
   * Reads the stored job: throws JobLostError when it was cancelled or taken over, and renews the lease once
   * half of it has passed. Called every second or so by the pool while the job runs.
   */
  async check(): Promise<void> {
    if (this.current.status !== 'running') return;
    const stored = await this.store.get(this.current.id);
    if (!stored || stored.version !== this.current.version) {
      if (!stored || stored.status !== 'running' || stored.lease?.owner !== this.owner) throw new JobLostError(stored);
    }
    const remaining = (this.current.lease?.expiresAt ?? 0) - Date.now();
    if (remaining < this.leaseMs / 2) await this.update(() => ({}));
  }
}
