import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { jobStoreContract } from '../../../test/contracts/job-store.contract';
import { ANONYMOUS_OWNER } from '../../common/anonymous-owner';
import { newJobRecord } from '../../jobs/job-record';
import { SqliteJobStore } from './sqlite-job-store';

jobStoreContract('SQLite (one file, WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-jobs-'));
  const path = join(dir, 'jobs.sqlite');
  const store = new SqliteJobStore(path);
  await store.init();
  return {
    store,
    twin: async () => {
      const twin = new SqliteJobStore(path);
      await twin.init();
      return twin;
    },
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite job store migration', () => {
  it('gives jobs stored before owners existed to the anonymous owner, idempotency keys included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-migrate-'));
    const path = join(dir, 'jobs.sqlite');
    try {
      // The table as the previous release created it, with one job that used an idempotency key.
      const old = new Database(path);
      old.exec(`CREATE TABLE jobs (id TEXT PRIMARY KEY, version INTEGER NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL,
        lease_expires_at INTEGER, webhook_due_at INTEGER, expires_at INTEGER, idempotency_key TEXT UNIQUE, doc TEXT NOT NULL)`);
      const input = {
        options: { task: 'transcribe' as const, temperature: 0, word_timestamps: false, response_format: 'json' as const },
        audio: { filename: null, bytes: 1, format: 'wav' as const },
        callbackUrl: null,
        requestHash: 'h',
        maxAttempts: 3,
        ownerId: ANONYMOUS_OWNER,
      };
      const legacy: Record<string, unknown> = { ...newJobRecord({ ...input, idempotencyKey: 'order-1', id: 'job_legacy' }, 1000) };
      delete legacy['ownerId'];
      old.prepare('INSERT INTO jobs (id, version, status, created_at, idempotency_key, doc) VALUES (?, 1, ?, 1000, ?, ?)').run(legacy['id'], legacy['status'], 'order-1', JSON.stringify(legacy));
      old.close();

      const store = new SqliteJobStore(path);
      await store.init();
      const second = new SqliteJobStore(path); // another process opening the migrated file finds nothing to do
      await second.init();
      await second.close();
      expect(await store.get('job_legacy')).toMatchObject({ id: 'job_legacy', ownerId: ANONYMOUS_OWNER });
      expect((await store.list({ ownerId: ANONYMOUS_OWNER, limit: 5 })).records.map((job) => job.id)).toEqual(['job_legacy']);
      const replay = newJobRecord({ ...input, idempotencyKey: 'order-1', id: 'job_replay' }, 2000);
      expect(await store.insert(replay)).toMatchObject({ inserted: false, existing: { id: 'job_legacy' } });
      const otherOwner = newJobRecord({ ...input, ownerId: 'keyAAAAAAAAA', idempotencyKey: 'order-1', id: 'job_other' }, 3000);
      expect(await store.insert(otherOwner)).toEqual({ inserted: true });
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
