import { mkdtempSync, rmSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANONYMOUS_OWNER } from '../auth/principal';
import { loadConfig } from '../config/app-config';
import { LocalBlobStore } from '../storage/local/local-blob-store';
import { SqliteJobStore } from '../storage/sqlite/sqlite-job-store';
import { type JobChange, JobEventBus } from './job-event-bus';
import { jobBlobKeys, newJobRecord } from './job-record';
import { JobRetention } from './job-retention';

beforeAll(() => Logger.overrideLogger(false));

describe('JobRetention', () => {
  it('deletes the blobs and records of jobs past their retention, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retention-'));
    const store = new SqliteJobStore(join(dir, 'jobs.sqlite'));
    const blobs = new LocalBlobStore(join(dir, 'blobs'));
    await store.init();
    await blobs.init();
    const bus = new JobEventBus();
    const changes: JobChange[] = [];
    bus.subscribe((change) => changes.push(change));
    try {
      const make = (id: string, status: 'succeeded' | 'failed' | 'queued', expiresAt: number | null) => ({
        ...newJobRecord(
          {
            id,
            options: { task: 'transcribe', temperature: 0, word_timestamps: false, response_format: 'json' },
            audio: { filename: null, bytes: 1, format: 'wav' },
            callbackUrl: null,
            idempotencyKey: null,
            requestHash: null,
            maxAttempts: 3,
            ownerId: ANONYMOUS_OWNER,
          },
          1000,
        ),
        status,
        expiresAt,
      });
      const now = 1_000_000;
      for (const record of [make('job_old', 'succeeded', now - 1), make('job_failed', 'failed', now - 5), make('job_fresh', 'succeeded', now + 1), make('job_queued', 'queued', null)]) {
        await store.insert(record);
        await blobs.putBytes(jobBlobKeys.audio(record.id), 'audio');
        await blobs.putBytes(jobBlobKeys.result(record.id), '{}');
      }
      const retention = new JobRetention(store, blobs, bus, loadConfig({}));
      expect(await retention.purge(now)).toBe(2);
      expect(await store.get('job_old')).toBeNull();
      expect(await store.get('job_failed')).toBeNull();
      expect(await store.get('job_fresh')).not.toBeNull();
      expect(await blobs.list('jobs/')).toEqual([
        jobBlobKeys.audio('job_fresh'),
        jobBlobKeys.result('job_fresh'),
        jobBlobKeys.audio('job_queued'),
        jobBlobKeys.result('job_queued'),
      ]);
      expect(changes.map((change) => `${change.type}:${change.record.id}`).sort()).toEqual(['job.deleted:job_failed', 'job.deleted:job_old']);
      expect(await retention.purge(now)).toBe(0);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
