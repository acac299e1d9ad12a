import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobRecord } from '../../storage/job-store.port';
import { SqliteJobStore } from '../../storage/sqlite/sqlite-job-store';
import { type JobChange, JobEventBus } from '../job-event-bus';
import { newJobRecord } from '../job-record';

/** A queued job as the API would have created it (no callback, no idempotency key). */
export function queuedJob(id: string, overrides: Partial<JobRecord> = {}): JobRecord {
  const record = newJobRecord(
    {
      id,
      options: { task: 'transcribe', temperature: 0, word_timestamps: false, response_format: 'json' },
      audio: { filename: null, bytes: 1, format: 'wav' },
      callbackUrl: null,
      idempotencyKey: null,
      requestHash: null,
      maxAttempts: 3,
      ownerId: 'key_test',
    },
    Date.now(),
  );
  return { ...record, ...overrides };
}

/** A real SQLite job store in a temp folder, and an event bus that records what was published. */
export async function openJobStoreFixture(): Promise<{
  store: SqliteJobStore;
  bus: JobEventBus;
  events: JobChange[];
  close(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-'));
  const store = new SqliteJobStore(join(dir, 'jobs.sqlite'));
  await store.init();
  const bus = new JobEventBus();
  const events: JobChange[] = [];
  bus.subscribe((change) => events.push(change));
  return {
    store,
    bus,
    events,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
