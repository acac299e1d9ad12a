import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from '@speech/contracts';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import { localAwsStoresEnv } from '../medium/support/local-aws';
import { dynaliteProcess, s3rverProcess, type StoreProcess } from '../support/store-processes';
import { type ApiProcess, startApi } from './support/api-process';
import { fastJobsModel, loopedRecording } from './support/job-fixtures';
import { createJob, isEnded, waitForJob } from './support/jobs-client';
import { filePart, postMultipart } from './support/multipart';

/**
 * The job store (DynamoDB, as dynalite) and the blob store (S3, as s3rver) vanish while the built API works, then
 * come back with their data. Both are real processes on disk; the API uses the real AWS SDK against them.
 */
describe('storage unavailable and back (built API, dynalite + s3rver as processes)', () => {
  let root: string;
  let dynamo: StoreProcess;
  let s3: StoreProcess;
  let api: ApiProcess;
  let speech: AudioFixture;

  const lines = (msg: string) => api.output.filter((line) => line.includes(`"msg":"${msg}"`));
  const submit = () => postMultipart(`${api.url}/api/v1/jobs`, [filePart(speech.wav, 'clip.wav', 'audio/wav')]);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'storage-faults-'));
    speech = speechFixture('The store went away and came back.');
    dynamo = await dynaliteProcess(join(root, 'dynamo'));
    s3 = await s3rverProcess(join(root, 's3'));
    api = await startApi({
      ...localAwsStoresEnv({ dynamodb: dynamo.endpoint, s3: s3.endpoint }),
      WHISPER_MODEL: await fastJobsModel(),
      WHISPER_THREADS: '1',
      WINDOW_SECONDS: '30',
      JOB_LEASE_SECONDS: '3',
      JOB_POLL_MS: '200',
      // The purge runs every few seconds, so it surely meets the outage.
      PURGE_INTERVAL_MINUTES: '0.05',
    });
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    await dynamo?.stop();
    await s3?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers 503 STORAGE_UNAVAILABLE and NOT_READY while the stores are gone, loses no job, and recovers when they return', async () => {
    const running = await createJob(api.url, loopedRecording(2));
    await waitForJob(api.url, running.id, (job) => job.status === 'running' && job.windows.done >= 1, 60_000, 50);
    const queued = await createJob(api.url, speech.wav);

    await Promise.all([dynamo.stop(), s3.stop()]);

    const refused = await submit();
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await until(() => api.leftoverTempEntries().length === 0, 'the refused upload left temp files');
    const read = await fetch(`${api.url}/api/v1/jobs/${running.id}`);
    expect(read.status).toBe(503);
    expect(await read.json()).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });

    // /health answers from a verdict at most 2 s old; the public body is terse, /health/detail names the check.
    await until(async () => (await fetch(`${api.url}/health`)).status === 503, 'health did not report the outage', 10_000);
    const detail = await fetch(`${api.url}/health/detail`);
    expect(detail.status).toBe(503);
    expect(await detail.json()).toMatchObject({ code: 'NOT_READY', checks: { storage: { status: 'down' } } });

    // The running job, the workers, the purge and the webhook rounds all meet the outage; none takes the process down.
    await until(() => lines('job interrupted by a storage fault').some((line) => line.includes(running.id)), 'the running job never noticed the outage', 60_000);
    await until(() => lines('job store unavailable; workers back off and keep trying').length === 1, 'the workers did not notice the outage');
    await until(() => lines('purge failed').length >= 1, 'the purge never ran during the outage');
    expect(lines('webhook round failed; backing off').length).toBe(1);
    expect(api.child.exitCode).toBeNull();

    await Promise.all([dynamo.start(), s3.start()]);
    await until(async () => (await fetch(`${api.url}/health`)).status === 200, 'health did not recover', 60_000);
    const after = await createJob(api.url, speech.wav);

    const ended: Job[] = await Promise.all([running, queued, after].map((job) => waitForJob(api.url, job.id, isEnded, 180_000)));
    expect(ended.map((job) => job.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const transcript = await fetch(`${api.url}/api/v1/jobs/${running.id}/transcript.json`);
    expect(transcript.status).toBe(200);
    expect((await transcript.json()).duration).toBeCloseTo(120, 0);
    expect(lines('job store reachable again')).toHaveLength(1);
    expect(api.child.exitCode).toBeNull();
  }, 300_000);
});

async function until(condition: () => Promise<boolean> | boolean, failure: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
