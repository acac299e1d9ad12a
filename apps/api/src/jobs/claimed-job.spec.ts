import type { JobRecord } from '../storage/job-store.port';
import { ClaimedJob, JobLostError } from './claimed-job';
import { nextVersion } from './job-record';
import { openJobStoreFixture, queuedJob } from './testing/job-fixtures';

const LEASE_MS = 30_000;

/** A holder's writes on a real SQLite store; "someone else" writes to the same store directly. */
describe('ClaimedJob', () => {
  let fixture: Awaited<ReturnType<typeof openJobStoreFixture>>;

  beforeEach(async () => {
    fixture = await openJobStoreFixture();
  });
  afterEach(() => fixture.close());

  /** Stores a job as claimed by `owner` (running, version 2, one attempt) and returns its holder. */
  async function hold(id: string, owner = 'me', leaseLeftMs = LEASE_MS): Promise<ClaimedJob> {
    const queued = queuedJob(id);
    await fixture.store.insert(queued);
    const now = Date.now();
    const running = nextVersion(queued, { status: 'running', attempts: 1, startedAt: now, lease: { owner, expiresAt: now + leaseLeftMs } }, now);
    expect(await fixture.store.replace(running, queued.version)).toBe(true);
    return new ClaimedJob(running, owner, fixture.store, fixture.bus, LEASE_MS);
  }

  /** Another process's write: a cancel, or a take-over by another worker. */
  async function writeElsewhere(id: string, changes: Partial<JobRecord>): Promise<JobRecord> {
    const stored = (await fixture.store.get(id)) as JobRecord;
    const next = nextVersion(stored, changes, Date.now());
    expect(await fixture.store.replace(next, stored.version)).toBe(true);
    return next;
  }

  it('writes a change as the next version, renews the lease and publishes the event type given', async () => {
    const job = await hold('job_1');
    const before = Date.now();
    const written = await job.update(() => ({ progress: 0.5 }), 'job.updated');
    expect(written).toMatchObject({ version: 3, progress: 0.5, status: 'running', lease: { owner: 'me' } });
    expect(written.lease?.expiresAt).toBeGreaterThanOrEqual(before + LEASE_MS);
    expect(await fixture.store.get('job_1')).toEqual(written);
    expect(job.record).toEqual(written);
    expect(fixture.events.map((e) => [e.type, e.record.version])).toEqual([['job.updated', 3]]);
  });

  it('applies writes one at a time, each on the record the previous one wrote', async () => {
    const job = await hold('job_1');
    const seen: number[] = [];
    const writes = [0.1, 0.2, 0.3].map((progress) =>
      job.update((record) => {
        seen.push(record.version);
        return { progress };
      }),
    );
    await Promise.all(writes);
    expect(seen).toEqual([2, 3, 4]);
    expect(await fixture.store.get('job_1')).toMatchObject({ version: 5, progress: 0.3 });
  });

  it('refuses to overwrite a cancel written elsewhere and reports the job as lost', async () => {
    const job = await hold('job_1');
    const cancelled = await writeElsewhere('job_1', { status: 'cancelled', lease: null });
    const error = await job.update(() => ({ progress: 0.9 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobLostError);
    expect((error as JobLostError).current).toEqual(cancelled);
    expect((error as JobLostError).toDomainError()).toMatchObject({ code: 'CANCELLED', message: 'The job was cancelled.' });
    expect(await fixture.store.get('job_1')).toEqual(cancelled);
    expect(fixture.events).toEqual([]);
    // A failed write does not block the queue for later ones (they fail on their own merits).
    await expect(job.update(() => ({}))).rejects.toBeInstanceOf(JobLostError);
  });

  it('releases the lease with the write that ends the job, and holds nothing after it', async () => {
    const job = await hold('job_1');
    const ended = await job.update(() => ({ status: 'succeeded', progress: 1 }), 'job.succeeded');
    expect(ended).toMatchObject({ status: 'succeeded', lease: null });
    expect(fixture.events.map((e) => e.type)).toEqual(['job.succeeded']);
    await expect(job.update(() => ({ progress: 0 }))).rejects.toBeInstanceOf(JobLostError);
    expect(await fixture.store.get('job_1')).toEqual(ended);
  });

  it('hands the job back to the queue with the attempt given back and progress kept', async () => {
    const job = await hold('job_1');
    await job.update(() => ({ progress: 0.4, etaSeconds: 12 }));
    const queued = await job.handBack();
    expect(queued).toMatchObject({ status: 'queued', attempts: 0, progress: 0.4, etaSeconds: null, lease: null });
    expect(await fixture.store.get('job_1')).toEqual(queued);
    await expect(job.handBack()).rejects.toBeInstanceOf(JobLostError);
  });

  describe('check', () => {
    it('only reads while the lease has more than half to run', async () => {
      const job = await hold('job_1');
      await job.check();
      expect((await fixture.store.get('job_1'))?.version).toBe(2);
      expect(fixture.events).toEqual([]);
    });

    it('renews the lease once half of it has passed', async () => {
      const job = await hold('job_1', 'me', LEASE_MS / 2 - 1000);
      const before = Date.now();
      await job.check();
      const stored = (await fixture.store.get('job_1')) as JobRecord;
      expect(stored.version).toBe(3);
      expect(stored.lease?.expiresAt).toBeGreaterThanOrEqual(before + LEASE_MS);
    });

    it('throws JobLostError once the job was cancelled elsewhere', async () => {
      const job = await hold('job_1');
      await writeElsewhere('job_1', { status: 'cancelled', lease: null });
      await expect(job.check()).rejects.toMatchObject({ name: 'JobLostError', message: 'the job was cancelled' });
    });

    it('throws JobLostError once another worker took the job over', async () => {
      const job = await hold('job_1');
      await writeElsewhere('job_1', { lease: { owner: 'other', expiresAt: Date.now() + LEASE_MS }, attempts: 2 });
      const error = (await job.check().catch((e: unknown) => e)) as JobLostError;
      expect(error).toBeInstanceOf(JobLostError);
      expect(error.message).toBe('the job was taken over by another worker');
      expect(error.toDomainError()).toMatchObject({ code: 'CANCELLED' });
    });

    it('throws JobLostError when the job is gone', async () => {
      const job = await hold('job_1');
      await fixture.store.delete('job_1');
      await expect(job.check()).rejects.toMatchObject({ name: 'JobLostError', current: null });
    });

    it('does nothing once this holder has ended the job', async () => {
      const job = await hold('job_1');
      await job.update(() => ({ status: 'failed' }), 'job.failed');
      await fixture.store.delete('job_1');
      await expect(job.check()).resolves.toBeUndefined();
    });
  });
});
