import { mkdtempSync, rmSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { speechFixture } from '@speech/test-support';
import { ANONYMOUS_OWNER } from '../auth/principal';
import { loadConfig } from '../config/app-config';
import { SubmissionCaps } from '../fair-share/submission-caps';
import { SpeakerModel } from '../diarization/speaker-model';
import { MetricsService } from '../metrics/metrics.service';
import { LocalBlobStore } from '../storage/local/local-blob-store';
import { SqliteJobStore } from '../storage/sqlite/sqlite-job-store';
import { CallbackUrlPolicy } from './webhooks/callback-url-policy';
import { type JobChange, JobEventBus } from './job-event-bus';
import { tryClaim } from './job-lease';
import { jobBlobKeys } from './job-record';
import { parseJobRequest } from './job-request';
import { JobsService } from './jobs.service';

/** JobsService on a real SQLite file and a real blob directory: the rules of create, cancel and retry. */
beforeAll(() => Logger.overrideLogger(false));

const OWNER = ANONYMOUS_OWNER;

describe('JobsService', () => {
  let dir: string;
  let store: SqliteJobStore;
  let blobs: LocalBlobStore;
  let bus: JobEventBus;
  let changes: JobChange[];
  let service: JobsService;
  const clip = () => speechFixture('A clip for the jobs service.');
  const upload = () => ({ path: clip().wav, size: 1234, filename: 'clip.wav' });
  const config = loadConfig({ WEBHOOK_SECRET: 'a-secret-of-sixteen+', JOB_MAX_ATTEMPTS: '2' });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobs-service-'));
    store = new SqliteJobStore(join(dir, 'jobs.sqlite'));
    blobs = new LocalBlobStore(join(dir, 'blobs'));
    await store.init();
    await blobs.init();
    bus = new JobEventBus();
    changes = [];
    bus.subscribe((change) => changes.push(change));
    const resolver = async () => [{ address: '93.184.215.14', family: 4 }];
    service = new JobsService(store, blobs, bus, new CallbackUrlPolicy([], [], resolver), config, new MetricsService(), new SubmissionCaps(store, config), new SpeakerModel(config.diarization, () => Promise.reject(new Error('jobs never open the encoder'))));
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the audio, then a queued job, and announces it', async () => {
    const { record, replayed } = await service.create({ request: parseJobRequest({ language: 'en' }), upload: upload(), idempotencyKey: null, ownerId: OWNER });
    expect(replayed).toBe(false);
    expect(record).toMatchObject({ status: 'queued', attempts: 0, maxAttempts: 2, audio: { format: 'wav', bytes: 1234, filename: 'clip.wav', stored: true } });
    expect(await blobs.exists(jobBlobKeys.audio(record.id))).toBe(true);
    expect(changes.map((change) => change.type)).toEqual(['job.created']);
  });

  it('replays an idempotent create and refuses a different request under the same key, leaving no stray audio', async () => {
    const first = await service.create({ request: parseJobRequest({}), upload: upload(), idempotencyKey: 'k1', ownerId: OWNER });
    const replay = await service.create({ request: parseJobRequest({}), upload: upload(), idempotencyKey: 'k1', ownerId: OWNER });
    expect(replay).toEqual({ record: first.record, replayed: true });
    await expect(service.create({ request: parseJobRequest({ task: 'translate' }), upload: upload(), idempotencyKey: 'k1', ownerId: OWNER })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_CONFLICT',
      details: { job_id: first.record.id },
    });
    expect(await blobs.list('jobs/')).toEqual([jobBlobKeys.audio(first.record.id)]);
  });

  it('needs WEBHOOK_SECRET for a callback_url, and checks the URL against the policy', async () => {
    const withCallback = parseJobRequest({ callback_url: 'https://hooks.example.com/x' });
    await expect(service.create({ request: withCallback, upload: upload(), idempotencyKey: null, ownerId: OWNER })).resolves.toMatchObject({ record: { callbackUrl: 'https://hooks.example.com/x' } });
    const noSecret = new JobsService(store, blobs, bus, new CallbackUrlPolicy([], []), loadConfig({}), new MetricsService(), new SubmissionCaps(store, loadConfig({})), new SpeakerModel(loadConfig({}).diarization, () => Promise.reject(new Error('unused'))));
    await expect(noSecret.create({ request: withCallback, upload: upload(), idempotencyKey: null, ownerId: OWNER })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    const loopback = parseJobRequest({ callback_url: 'http://127.0.0.1/x' });
    await expect(service.create({ request: loopback, upload: upload(), idempotencyKey: null, ownerId: OWNER })).rejects.toMatchObject({ code: 'CALLBACK_URL_REJECTED' });
  });

  it('refuses a diarizing job at creation when this server has no speaker model (503), and takes it when it has', async () => {
    const missing = loadConfig({ SPEAKER_MODEL: '/nonexistent/speaker.onnx' });
    const without = new JobsService(store, blobs, bus, new CallbackUrlPolicy([], []), missing, new MetricsService(), new SubmissionCaps(store, missing), new SpeakerModel(missing.diarization, () => Promise.reject(new Error('unused'))));
    const diarizing = parseJobRequest({ diarize: 'true', num_speakers: '2' });
    await expect(without.create({ request: diarizing, upload: upload(), idempotencyKey: null, ownerId: OWNER })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    // Refused before anything was stored: no job exists yet.
    expect((await without.list(OWNER, ['queued'], 10)).records).toEqual([]);
    await expect(without.create({ request: parseJobRequest({}), upload: upload(), idempotencyKey: null, ownerId: OWNER })).resolves.toBeDefined();
  });

  it('cancels queued and running jobs, not ended ones', async () => {
    const { record } = await service.create({ request: parseJobRequest({}), upload: upload(), idempotencyKey: null, ownerId: OWNER });
    await tryClaim(store, bus, record, 'worker', config.jobs);
    const cancelled = await service.cancel(record.id, OWNER);
    expect(cancelled).toMatchObject({ status: 'cancelled', lease: null, error: { code: 'CANCELLED' } });
    expect(cancelled.expiresAt).toBeGreaterThan(Date.now());
    expect(changes.at(-1)).toMatchObject({ type: 'job.cancelled' });
    await expect(service.cancel(record.id, OWNER)).rejects.toMatchObject({ code: 'JOB_NOT_CANCELLABLE' });
    await expect(service.cancel('job_missing', OWNER)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('retries failed or cancelled jobs with a fresh allowance of attempts, never succeeded or running ones', async () => {
    const { record } = await service.create({ request: parseJobRequest({}), upload: upload(), idempotencyKey: null, ownerId: OWNER });
    await expect(service.retry(record.id, OWNER)).rejects.toMatchObject({ code: 'JOB_NOT_RETRYABLE' });
    await tryClaim(store, bus, record, 'worker', config.jobs);
    await service.cancel(record.id, OWNER);
    const queued = await service.retry(record.id, OWNER);
    expect(queued).toMatchObject({ status: 'queued', error: null, finishedAt: null, expiresAt: null, attempts: 1, maxAttempts: 3 });
  });

  it('refuses a transcript before success', async () => {
    const { record } = await service.create({ request: parseJobRequest({}), upload: upload(), idempotencyKey: null, ownerId: OWNER });
    await expect(service.transcript(record.id, OWNER, 'srt')).rejects.toMatchObject({ code: 'JOB_NOT_FINISHED' });
  });

  it("answers another owner's job exactly like a missing one, and lets an admin (every owner) act on it", async () => {
    const { record } = await service.create({ request: parseJobRequest({}), upload: upload(), idempotencyKey: null, ownerId: 'keyAAAAAAAAA' });
    expect(record.ownerId).toBe('keyAAAAAAAAA');
    const stranger = 'keyBBBBBBBBB';
    for (const attempt of [
      () => service.get(record.id, stranger),
      () => service.cancel(record.id, stranger),
      () => service.retry(record.id, stranger),
      () => service.transcript(record.id, stranger, 'json'),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'JOB_NOT_FOUND', message: `No job with the id "${record.id}" exists (it may have been purged).` });
    }
    expect((await service.list(stranger, [], 10)).records).toEqual([]);
    expect((await service.list('keyAAAAAAAAA', [], 10)).records.map((job) => job.id)).toEqual([record.id]);
    expect((await service.list(undefined, [], 10)).records.map((job) => job.id)).toEqual([record.id]);
    await expect(service.cancel(record.id, undefined)).resolves.toMatchObject({ status: 'cancelled', ownerId: 'keyAAAAAAAAA' });
  });

  it('scopes Idempotency-Key per owner: the same key from two owners makes two jobs', async () => {
    const a = await service.create({ request: parseJobRequest({}), upload: upload(), idempotencyKey: 'shared', ownerId: 'keyAAAAAAAAA' });
    const b = await service.create({ request: parseJobRequest({ task: 'translate' }), upload: upload(), idempotencyKey: 'shared', ownerId: 'keyBBBBBBBBB' });
    expect(b.replayed).toBe(false);
    expect(b.record.id).not.toBe(a.record.id);
    const replayA = await service.create({ request: parseJobRequest({}), upload: upload(), idempotencyKey: 'shared', ownerId: 'keyAAAAAAAAA' });
    expect(replayA).toEqual({ record: a.record, replayed: true });
  });
});
