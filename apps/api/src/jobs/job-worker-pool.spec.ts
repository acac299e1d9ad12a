import { Logger } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/app-config';
import { YieldedTurn } from '../fair-share/fair-yield';
import { MetricsService } from '../metrics/metrics.service';
import type { BlobStore } from '../storage/blob-store.port';
import { storageFault } from '../storage/faults/storage-faults';
import type { JobRecord } from '../storage/job-store.port';
import type { ClaimedJob } from './claimed-job';
import type { JobChange } from './job-event-bus';
import { jobBlobKeys, nextVersion } from './job-record';
import type { JobRunner } from './job-runner';
import { JobWorkerPool } from './job-worker-pool';
import { openJobStoreFixture, queuedJob } from './testing/job-fixtures';

beforeAll(() => Logger.overrideLogger(false));

type Run = JobRunner['run'];

/** Stands in for the transcription: each claim of a job takes the next scripted run. */
class ScriptedRunner implements Pick<JobRunner, 'run'> {
  private readonly scripts = new Map<string, Run[]>();

  script(id: string, ...runs: Run[]): void {
    this.scripts.set(id, runs);
  }

  run(job: ClaimedJob, signal: AbortSignal): Promise<TranscriptionResult> {
    const next = this.scripts.get(job.id)?.shift();
    if (!next) throw new Error(`no run scripted for ${job.id}`);
    return next(job, signal);
  }
}

const succeeds: Run = async () => ({ text: '', language: 'en', duration: 12, segments: [] });
const throws = (error: unknown): Run => () => Promise.reject(error);
/** Runs until aborted; `started` resolves once the pool has handed it the job. */
function untilAborted(): { run: Run; started: Promise<void>; reason: Promise<unknown> } {
  let markStarted!: () => void;
  let markReason!: (reason: unknown) => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const reason = new Promise<unknown>((resolve) => (markReason = resolve));
  const run: Run = (_job, signal) => {
    markStarted();
    return new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        markReason(signal.reason);
        reject(signal.reason);
      });
    });
  };
  return { run, started, reason };
}

const storeDown = storageFault(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'blob store');

/** The pool on a real SQLite store and event bus, with the runner and the blob store as fakes. */
describe('JobWorkerPool', () => {
  let fixture: Awaited<ReturnType<typeof openJobStoreFixture>>;
  let runner: ScriptedRunner;
  let deleted: string[];
  let metrics: MetricsService;
  let pool: JobWorkerPool;

  beforeEach(async () => {
    fixture = await openJobStoreFixture();
    runner = new ScriptedRunner();
    deleted = [];
    const blobs = {
      delete: async (key: string) => void deleted.push(key),
      deletePrefix: async (prefix: string) => void deleted.push(prefix),
    };
    const config = {
      engine: { kind: 'local' },
      jobs: { workers: 1, maxAttempts: 3, leaseSeconds: 30, pollMs: 20, deleteAudioOnComplete: true, resultTtlHours: 1 },
    };
    metrics = new MetricsService();
    pool = new JobWorkerPool(
      fixture.store,
      blobs as unknown as BlobStore,
      fixture.bus,
      runner as unknown as JobRunner,
      config as unknown as AppConfig,
      metrics,
    );
  });

  afterEach(async () => {
    await pool.drain();
    await fixture.close();
  });

  /** Resolves with the first published change that matches, from now on. */
  function nextChange(id: string, test: (change: JobChange) => boolean): Promise<JobRecord> {
    return new Promise((resolve) => {
      const stop = fixture.bus.subscribe((change) => {
        if (change.record.id === id && test(change)) {
          stop();
          resolve(change.record);
        }
      });
    });
  }

  /** A cancel as the API writes it (jobs.service), without telling this pool. */
  async function cancelInStore(id: string): Promise<JobRecord> {
    const stored = (await fixture.store.get(id)) as JobRecord;
    const cancelled = nextVersion(stored, { status: 'cancelled', lease: null }, Date.now());
    expect(await fixture.store.replace(cancelled, stored.version)).toBe(true);
    return cancelled;
  }

  async function submit(id: string, ...runs: Run[]): Promise<void> {
    runner.script(id, ...runs);
    await fixture.store.insert(queuedJob(id, { windows: { total: 4, done: 1 } }));
    fixture.bus.publish('job.created', queuedJob(id));
  }

  const counted = async (outcome: string) =>
    (await metrics.jobs.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

  it('runs a queued job, writes its end and then drops its window blobs and audio', async () => {
    pool.onApplicationBootstrap();
    const succeeded = nextChange('job_1', (c) => c.type === 'job.succeeded');
    await submit('job_1', succeeds);
    const record = await succeeded;
    expect(record).toMatchObject({ status: 'succeeded', attempts: 1, lease: null, progress: 1, windows: { total: 4, done: 4 } });
    expect(record.audio.stored).toBe(false);
    await pool.drain();
    expect(deleted).toEqual([jobBlobKeys.windowsFolder('job_1'), jobBlobKeys.audio('job_1')]);
    expect(await counted('succeeded')).toBe(1);
    expect(pool.runningCount).toBe(0);
  });

  it.each([
    ['an engine error', new DomainError('ENGINE_TIMEOUT', 'too slow'), { code: 'ENGINE_TIMEOUT', message: 'too slow' }],
    ['a bug', new TypeError('x is undefined'), { code: 'INTERNAL_ERROR', message: 'The job failed unexpectedly.' }],
  ])('fails the job on %s, keeping its blobs', async (_name, error, expected) => {
    pool.onApplicationBootstrap();
    const failed = nextChange('job_1', (c) => c.type === 'job.failed');
    await submit('job_1', throws(error));
    expect(await failed).toMatchObject({ status: 'failed', error: expected, lease: null, attempts: 1 });
    await pool.drain();
    expect(deleted).toEqual([]);
    expect(await counted('failed')).toBe(1);
  });

  it.each([
    ['a storage fault', storeDown],
    ['a fairness yield', new YieldedTurn('key_other')],
  ])('hands the job back after %s with its attempt given back, and runs it again', async (_name, error) => {
    pool.onApplicationBootstrap();
    const handedBack = nextChange('job_1', (c) => c.type === 'job.updated' && c.record.status === 'queued');
    const succeeded = nextChange('job_1', (c) => c.type === 'job.succeeded');
    await submit('job_1', throws(error), succeeds);
    expect(await handedBack).toMatchObject({ attempts: 0, lease: null, windows: { total: 4, done: 1 } });
    expect(await succeeded).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('keeps polling while the store is down and runs the job once it answers again', async () => {
    const listClaimable = fixture.store.listClaimable.bind(fixture.store);
    let outageLeft = 3;
    let polls = 0;
    fixture.store.listClaimable = (now, limit) => {
      polls++;
      return outageLeft-- > 0 ? Promise.reject(storeDown) : listClaimable(now, limit);
    };
    await submit('job_1', succeeds);
    const succeeded = nextChange('job_1', (c) => c.type === 'job.succeeded');
    pool.onApplicationBootstrap();
    expect(await succeeded).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(polls).toBeGreaterThanOrEqual(4);
  });

  it('stops the engine work when the job is cancelled and leaves the cancel as written', async () => {
    pool.onApplicationBootstrap();
    const running = untilAborted();
    await submit('job_1', running.run);
    await running.started;
    const cancelled = await cancelInStore('job_1');
    fixture.bus.publish('job.cancelled', cancelled);
    expect(await running.reason).toMatchObject({ code: 'CANCELLED' });
    await pool.drain();
    expect(await fixture.store.get('job_1')).toEqual(cancelled);
    expect(fixture.events.filter((e) => e.type === 'job.failed')).toEqual([]);
  });

  it('notices a cancel written by another process through its watch on the record', async () => {
    pool.onApplicationBootstrap();
    const running = untilAborted();
    await submit('job_1', running.run);
    await running.started;
    const cancelled = await cancelInStore('job_1'); // no event on this process's bus
    expect(await running.reason).toMatchObject({ code: 'CANCELLED', message: 'The job was cancelled.' });
    await pool.drain();
    expect(await fixture.store.get('job_1')).toEqual(cancelled);
  });

  it('on drain hands running jobs back with their attempt and claims nothing more', async () => {
    pool.onApplicationBootstrap();
    const running = untilAborted();
    await submit('job_1', running.run);
    await running.started;
    expect(pool.runningCount).toBe(1);
    await pool.drain();
    expect(await running.reason).toMatchObject({ message: 'the API is shutting down' });
    expect(await fixture.store.get('job_1')).toMatchObject({ status: 'queued', attempts: 0, lease: null });
    await submit('job_2', succeeds);
    expect(pool.runningCount).toBe(0);
    expect(await fixture.store.get('job_2')).toMatchObject({ status: 'queued', attempts: 0 });
  });
});
