import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANONYMOUS_OWNER } from '../auth/principal';
import { SqliteJobStore } from '../storage/sqlite/sqlite-job-store';
import type { JobRecord } from '../storage/job-store.port';
import { ClaimedJob, JobLostError } from './claimed-job';
import { type JobChange, JobEventBus } from './job-event-bus';
import { claimNext, tryClaim } from './job-lease';
import { newJobRecord, nextVersion } from './job-record';

const config = { leaseSeconds: 30, resultTtlHours: 1 };

function job(n: number, overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    ...newJobRecord(
      {
        options: { task: 'transcribe', temperature: 0, word_timestamps: false, response_format: 'json' },
        audio: { filename: null, bytes: 1, format: 'wav' },
        callbackUrl: null,
        idempotencyKey: null,
        requestHash: null,
        maxAttempts: 2,
        ownerId: ANONYMOUS_OWNER,
        id: `job_${n}`,
      },
      1000 + n,
    ),
    ...overrides,
  };
}

/** Lease and claim rules on a real SQLite store, with two store connections standing in for two processes. */
describe('job leases', () => {
  let dir: string;
  let store: SqliteJobStore;
  let other: SqliteJobStore;
  let bus: JobEventBus;
  let changes: JobChange[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lease-'));
    store = new SqliteJobStore(join(dir, 'jobs.sqlite'));
    other = new SqliteJobStore(join(dir, 'jobs.sqlite'));
    await store.init();
    await other.init();
    bus = new JobEventBus();
    changes = [];
    bus.subscribe((change) => changes.push(change));
  });

  afterEach(async () => {
    await store.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('claims a queued job: running, leased to the claimer, one more attempt', async () => {
    await store.insert(job(1));
    const claimed = await tryClaim(store, bus, job(1), 'me', config, 5000);
    expect(claimed).toMatchObject({ status: 'running', attempts: 1, startedAt: 5000, lease: { owner: 'me', expiresAt: 35_000 } });
    expect(await store.get('job_1')).toEqual(claimed);
    expect(changes.map((change) => change.type)).toEqual(['job.updated']);
  });

  it('gives a job to exactly one of many concurrent claimers across processes', async () => {
    for (let n = 1; n <= 3; n += 1) await store.insert(job(n));
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => claimNext(i % 2 ? other : store, bus, `worker-${i}`, config)),
    );
    const won = claims.filter((claim): claim is JobRecord => claim !== null);
    expect(won.map((claim) => claim.id).sort()).toEqual(['job_1', 'job_2', 'job_3']);
  });

  it('takes over a running job only once its lease has expired', async () => {
    const running = job(1, { status: 'running', attempts: 1, lease: { owner: 'dead', expiresAt: 10_000 } });
    await store.insert(running);
    expect(await tryClaim(store, bus, running, 'me', config, 9_999)).toBeNull();
    const taken = await tryClaim(store, bus, running, 'me', config, 10_001);
    expect(taken).toMatchObject({ status: 'running', attempts: 2, lease: { owner: 'me' } });
  });

  it('fails a job whose attempts are used up instead of starting it again', async () => {
    const running = job(1, { status: 'running', attempts: 2, lease: { owner: 'dead', expiresAt: 10 } });
    await store.insert(running);
    expect(await tryClaim(store, bus, running, 'me', config, 20)).toBeNull();
    expect(await store.get('job_1')).toMatchObject({
      status: 'failed',
      lease: null,
      finishedAt: 20,
      expiresAt: 20 + 3_600_000,
      error: { code: 'JOB_ATTEMPTS_EXHAUSTED' },
    });
    expect(changes.map((change) => change.type)).toEqual(['job.failed']);
  });

  it('lets the holder write and renew, and stops it with JobLostError once the job was cancelled elsewhere', async () => {
    await store.insert(job(1));
    const claimed = (await tryClaim(store, bus, job(1), 'me', config)) as JobRecord;
    const holder = new ClaimedJob(claimed, 'me', store, bus, 30_000);
    const progressed = await holder.update(() => ({ progress: 0.5 }), 'job.progress');
    expect(progressed).toMatchObject({ progress: 0.5, lease: { owner: 'me' }, version: claimed.version + 1 });
    await holder.check();

    const current = (await other.get('job_1')) as JobRecord;
    await other.replace(nextVersion(current, { status: 'cancelled', lease: null }, Date.now()), current.version);
    await expect(holder.check()).rejects.toBeInstanceOf(JobLostError);
    const lost = await holder.update(() => ({ progress: 0.6 })).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(JobLostError);
    expect((lost as JobLostError).toDomainError()).toMatchObject({ code: 'CANCELLED', message: 'The job was cancelled.' });
    expect((await store.get('job_1'))?.status).toBe('cancelled');
  });

  it('renews the lease once half of it has passed', async () => {
    await store.insert(job(1));
    const claimed = (await tryClaim(store, bus, job(1), 'me', { ...config, leaseSeconds: 1 }, Date.now() - 600)) as JobRecord;
    const holder = new ClaimedJob(claimed, 'me', store, bus, 1000);
    await holder.check();
    expect(holder.record.lease?.expiresAt).toBeGreaterThan(Date.now() + 900);
    expect(holder.record.version).toBe(claimed.version + 1);
  });
});
