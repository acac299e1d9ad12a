import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { newJobRecord, nextVersion } from '../jobs/job-record';
import type { JobRecord } from '../storage/job-store.port';
import { SqliteJobStore } from '../storage/sqlite/sqlite-job-store';
import { FairYield, waitingOwnerWithLessShare } from './fair-yield';

describe('waitingOwnerWithLessShare', () => {
  it('names a waiting owner that runs fewer jobs than the asking job’s owner', () => {
    const states = [
      { ownerId: 'a', queued: 19, running: 1 },
      { ownerId: 'b', queued: 1, running: 0 },
    ];
    expect(waitingOwnerWithLessShare(states, 'a')).toBe('b');
  });

  it('keeps going when the others run as many or more, or have nothing queued', () => {
    expect(waitingOwnerWithLessShare([{ ownerId: 'a', queued: 5, running: 1 }, { ownerId: 'b', queued: 3, running: 1 }], 'a')).toBeNull();
    expect(waitingOwnerWithLessShare([{ ownerId: 'a', queued: 5, running: 2 }, { ownerId: 'b', queued: 0, running: 0 }], 'a')).toBeNull();
    expect(waitingOwnerWithLessShare([{ ownerId: 'a', queued: 5, running: 1 }], 'a')).toBeNull();
  });

  it('prefers the waiting owner with the smallest share', () => {
    const states = [
      { ownerId: 'a', queued: 0, running: 3 },
      { ownerId: 'b', queued: 2, running: 1 },
      { ownerId: 'c', queued: 2, running: 0 },
    ];
    expect(waitingOwnerWithLessShare(states, 'a')).toBe('c');
  });
});

describe('FairYield (real SQLite store)', () => {
  let dir: string;
  let store: SqliteJobStore;
  const now = Date.UTC(2026, 0, 1);
  const job = (id: string, ownerId: string): JobRecord =>
    newJobRecord(
      {
        id,
        ownerId,
        options: { task: 'transcribe', temperature: 0, word_timestamps: false, response_format: 'json' },
        audio: { filename: null, bytes: 1000, format: 'wav' },
        callbackUrl: null,
        idempotencyKey: null,
        requestHash: null,
        maxAttempts: 3,
      },
      now - 60_000,
    );

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fair-yield-'));
    store = new SqliteJobStore(join(dir, 'jobs.sqlite'));
    await store.init();
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runningFor(record: JobRecord, claimedAt: number): Promise<JobRecord> {
    await store.insert(record);
    const running = nextVersion(record, { status: 'running', claimedAt, startedAt: claimedAt, lease: { owner: 'w', expiresAt: now + 30_000 } }, claimedAt);
    await store.replace(running, record.version);
    return running;
  }

  it('yields to another key that waits with nothing running, once the slice has passed', async () => {
    const fair = new FairYield(store, loadConfig({ JOB_FAIR_SLICE_SECONDS: '10' }));
    const running = await runningFor(job('job_a1', 'key_a'), now - 20_000);
    await store.insert(job('job_a2', 'key_a'));
    expect(await fair.yieldTo(running, now)).toBeNull(); // nobody else waits
    await store.insert(job('job_b1', 'key_b'));
    expect(await fair.yieldTo(running, now)).toBe('key_b');
  });

  it('does not yield before the slice has passed', async () => {
    const fair = new FairYield(store, loadConfig({ JOB_FAIR_SLICE_SECONDS: '10' }));
    const running = await runningFor(job('job_a1', 'key_a'), now - 5_000);
    await store.insert(job('job_b1', 'key_b'));
    expect(await fair.yieldTo(running, now)).toBeNull();
  });
});
