import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANONYMOUS_OWNER } from '../auth/principal';
import { isDomainError } from '../common/domain-error';
import { loadConfig } from '../config/app-config';
import { newJobRecord, nextVersion } from '../jobs/job-record';
import { SqliteJobStore } from '../storage/sqlite/sqlite-job-store';
import { audioSecondsOf } from './audio-estimate';
import { SubmissionCaps } from './submission-caps';

describe('audioSecondsOf', () => {
  it('uses the decoded duration once known, else estimates from size and format, never above the job limit', () => {
    expect(audioSecondsOf({ bytes: 1, format: 'wav', durationSeconds: 42 }, 100)).toBe(42);
    expect(audioSecondsOf({ bytes: 320_000, format: 'wav', durationSeconds: null }, 100)).toBe(10);
    expect(audioSecondsOf({ bytes: 160_000, format: 'mp3', durationSeconds: null }, 100)).toBe(10);
    expect(audioSecondsOf({ bytes: 80_000_000, format: 'ogg', durationSeconds: null }, 3600)).toBe(3600);
  });
});

describe('SubmissionCaps (real SQLite store)', () => {
  let dir: string;
  let store: SqliteJobStore;
  let n = 0;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'caps-'));
    store = new SqliteJobStore(join(dir, 'jobs.sqlite'));
    await store.init();
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const queue = async (ownerId: string, bytes = 32_000, status: 'queued' | 'running' | 'succeeded' = 'queued') => {
    n += 1;
    const record = newJobRecord(
      {
        id: `job_caps_${n}`,
        ownerId,
        options: { task: 'transcribe', temperature: 0, word_timestamps: false, response_format: 'json' },
        audio: { filename: null, bytes, format: 'wav' },
        callbackUrl: null,
        idempotencyKey: null,
        requestHash: null,
        maxAttempts: 3,
      },
      Date.now(),
    );
    await store.insert(record);
    if (status !== 'queued') await store.replace(nextVersion(record, { status }, Date.now()), record.version);
  };

  const refusal = (promise: Promise<void>) => promise.then(() => null, (error: unknown) => (isDomainError(error) ? error : Promise.reject(error)));

  it('refuses the job beyond JOB_MAX_QUEUED_PER_KEY with JOB_QUEUE_FULL and Retry-After, per key', async () => {
    const caps = new SubmissionCaps(store, loadConfig({ JOB_MAX_QUEUED_PER_KEY: '2' }));
    await queue('key_a');
    await queue('key_a', 32_000, 'running'); // running jobs do not count as queued
    await queue('key_a', 32_000, 'succeeded');
    expect(await refusal(caps.check('key_a', { bytes: 10, format: 'wav' }))).toBeNull();
    await queue('key_a');
    const refused = await refusal(caps.check('key_a', { bytes: 10, format: 'wav' }));
    expect(refused?.code).toBe('JOB_QUEUE_FULL');
    expect(refused?.status).toBe(429);
    expect(refused?.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused?.details).toEqual({ limit: 2, queued: 2 });
    expect(await refusal(caps.check('key_b', { bytes: 10, format: 'wav' }))).toBeNull();
  });

  it('refuses audio beyond JOB_MAX_AUDIO_HOURS_PER_KEY (queued + running) with AUDIO_BACKLOG_FULL', async () => {
    const caps = new SubmissionCaps(store, loadConfig({ JOB_MAX_AUDIO_HOURS_PER_KEY: '1', MAX_JOB_AUDIO_SECONDS: '3600' }));
    const halfHourWav = 32_000 * 1800;
    await queue('key_a', halfHourWav);
    await queue('key_a', halfHourWav, 'succeeded'); // ended jobs are not in flight
    expect(await refusal(caps.check('key_a', { bytes: halfHourWav, format: 'wav' }))).toBeNull();
    await queue('key_a', halfHourWav, 'running');
    const refused = await refusal(caps.check('key_a', { bytes: 32_000, format: 'wav' }));
    expect(refused?.code).toBe('AUDIO_BACKLOG_FULL');
    expect(refused?.status).toBe(429);
    expect(refused?.details).toMatchObject({ limit_hours: 1, in_flight_hours: 1 });
  });

  it('does not cap callers without a key (keys optional)', async () => {
    const caps = new SubmissionCaps(store, loadConfig({ JOB_MAX_QUEUED_PER_KEY: '1' }));
    await queue(ANONYMOUS_OWNER);
    await queue(ANONYMOUS_OWNER);
    expect(await refusal(caps.check(ANONYMOUS_OWNER, { bytes: 10, format: 'wav' }))).toBeNull();
  });

  it('checks nothing when both caps are 0', async () => {
    const caps = new SubmissionCaps(store, loadConfig({ JOB_MAX_QUEUED_PER_KEY: '0', JOB_MAX_AUDIO_HOURS_PER_KEY: '0' }));
    for (let i = 0; i < 3; i += 1) await queue('key_a', 10 ** 9);
    expect(await refusal(caps.check('key_a', { bytes: 10 ** 9, format: 'wav' }))).toBeNull();
  });
});
