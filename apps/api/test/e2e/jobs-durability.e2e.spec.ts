import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiProcess, startApi } from './support/api-process';
import { fastJobsModel, loopedRecording } from './support/job-fixtures';
import { createJob, isEnded, waitForJob } from './support/jobs-client';

/**
 * A job survives its API process: kill -9 mid-run (re-queued by lease expiry, or failed once attempts are used
 * up — never lost), a graceful stop (handed back), and a restart on the same DATA_DIR and TMP_DIR.
 */
describe('jobs survive the API process (built API, kill -9 and restart)', () => {
  let shared: string;
  let recording: string;
  let model: string;
  const running: ApiProcess[] = [];

  const start = async (env: Record<string, string> = {}) => {
    const api = await startApi(
      // One engine thread: whisper.cpp's threads spin-wait, which costs dearly on a busy two-core CI machine.
      { WHISPER_MODEL: model, WHISPER_THREADS: '1', WINDOW_SECONDS: '30', JOB_LEASE_SECONDS: '2', JOB_POLL_MS: '200', ...env },
      { tmpDir: join(shared, 'tmp'), dataDir: join(shared, 'data') },
    );
    running.push(api);
    return api;
  };
  const startedLines = (api: ApiProcess, id: string) =>
    api.output.filter((line) => line.includes('"job started"') && line.includes(id)).map((line) => JSON.parse(line) as Record<string, number>);

  beforeAll(async () => {
    model = await fastJobsModel();
    recording = loopedRecording(10);
  }, 120_000);

  beforeEach(() => {
    shared = mkdtempSync(join(tmpdir(), 'jobs-durable-'));
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((api) => api.stop()));
    rmSync(shared, { recursive: true, force: true });
  });

  it('re-queues a job whose API was killed with SIGKILL mid-run; the next process finishes it, reusing finished windows', async () => {
    const first = await start();
    const accepted = await createJob(first.url, recording, { language: 'en' });
    await waitForJob(first.url, accepted.id, (job) => job.status === 'running' && job.windows.done >= 3, 60_000, 50);
    await first.kill('SIGKILL');

    const second = await first.restart();
    running.push(second);
    const done = await waitForJob(second.url, accepted.id, isEnded, 120_000);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, error: null, windows: { total: 20, done: 20 } });
    const [resumed] = startedLines(second, accepted.id);
    expect(resumed?.attempt).toBe(2);
    expect(resumed?.reused_windows).toBeGreaterThanOrEqual(3);
    const transcript = await (await fetch(`${second.url}/api/v1/jobs/${accepted.id}/transcript.json`)).json();
    expect(transcript.duration).toBeCloseTo(600, 0);
    expect(transcript.segments.at(-1).end).toBeGreaterThan(600 - 30);
    // The killed process's temp folder was swept when the next one started.
    expect(second.leftoverTempEntries()).toEqual([]);
  }, 240_000);

  it('retries only the window whose engine crashed; the job finishes in its first attempt', async () => {
    const api = await start();
    const accepted = await createJob(api.url, recording);
    await waitForJob(api.url, accepted.id, (job) => job.status === 'running' && job.windows.done >= 2, 60_000, 20);
    const worker = api.childPids().find((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'whisper-worker');
    expect(worker).toBeDefined();
    process.kill(worker as number, 'SIGSTOP'); // hold the next window inside the worker…
    await new Promise((resolve) => setTimeout(resolve, 700));
    process.kill(worker as number, 'SIGKILL'); // …then crash it
    const done = await waitForJob(api.url, accepted.id, isEnded, 120_000);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, windows: { total: 20, done: 20 } });
    const lines = api.output.filter((line) => line.includes(accepted.id)).map((line) => JSON.parse(line) as { msg: string; window?: number; code?: string });
    const retries = lines.filter((line) => line.msg === 'window failed; retrying it alone');
    expect(retries).toHaveLength(1);
    expect(retries[0]?.code).toBe('ENGINE_FAILED');
    const finished = lines.filter((line) => line.msg === 'window done').map((line) => line.window);
    expect([...finished].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // The crashed window is done after the windows that were already finished, and before the rest.
    expect(finished.indexOf(retries[0]?.window)).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('fails a job with JOB_ATTEMPTS_EXHAUSTED when it was killed on its last allowed attempt', async () => {
    const first = await start({ JOB_MAX_ATTEMPTS: '1' });
    const accepted = await createJob(first.url, recording);
    await waitForJob(first.url, accepted.id, (job) => job.status === 'running' && job.windows.done >= 1, 60_000, 50);
    await first.kill('SIGKILL');
    const second = await first.restart();
    running.push(second);
    const failed = await waitForJob(second.url, accepted.id, isEnded, 30_000);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'JOB_ATTEMPTS_EXHAUSTED' } });
    expect(failed.error?.message).toMatch(/started 1 times \(limit 1\)/);
    expect(startedLines(second, accepted.id)).toEqual([]);
  }, 120_000);

  it('hands running jobs back to the queue on a graceful stop (SIGTERM); the next process finishes them', async () => {
    const first = await start();
    const accepted = await createJob(first.url, recording);
    await waitForJob(first.url, accepted.id, (job) => job.status === 'running' && job.windows.done >= 2, 60_000, 50);
    await first.kill('SIGTERM');
    // A clean exit (lifecycle/graceful-shutdown.ts), not death by the signal: exit code 0, no worker left behind.
    expect({ code: first.child.exitCode, signal: first.child.signalCode }).toEqual({ code: 0, signal: null });
    expect(first.childPids()).toEqual([]);
    expect(first.output.some((line) => line.includes('handed back to the queue') && line.includes(accepted.id))).toBe(true);
    const second = await first.restart({ JOB_WORKERS: '0' });
    running.push(second);
    const waiting = await waitForJob(second.url, accepted.id, () => true);
    // A graceful stop gives the attempt back: deploys must not use up a job's JOB_MAX_ATTEMPTS.
    expect(waiting).toMatchObject({ status: 'queued', attempts: 0 });
    await second.kill('SIGTERM');
    const third = await first.restart();
    running.push(third);
    const done = await waitForJob(third.url, accepted.id, isEnded, 120_000);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1 });
  }, 240_000);
});
