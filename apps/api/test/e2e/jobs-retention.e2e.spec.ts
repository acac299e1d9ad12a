import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { fastJobsModel } from './support/job-fixtures';
import { createJob, isEnded, waitForJob } from './support/jobs-client';

const TTL_SECONDS = 3;

/** Retention on the built API: audio dropped at success, kept for a retry after failure, everything purged on schedule. */
describe('job retention (built API, local blob store)', () => {
  let api: ApiProcess;
  let speech: AudioFixture;
  const blobFolder = (id: string) => join(api.dataDir, 'blobs', 'jobs', id);

  beforeAll(async () => {
    speech = speechFixture('Nothing is kept longer than it should be.');
    api = await startApi({
      WHISPER_MODEL: await fastJobsModel(),
      WHISPER_THREADS: '1',
      RESULT_TTL_HOURS: String(TTL_SECONDS / 3600),
      PURGE_INTERVAL_MINUTES: String(0.5 / 60),
      JOB_POLL_MS: '200',
    });
  }, 120_000);

  afterAll(async () => api?.stop());

  it('deletes the upload when a job succeeds, keeps the transcript for the TTL, then purges the job', async () => {
    const accepted = await createJob(api.url, speech.wav);
    const done = await waitForJob(api.url, accepted.id, isEnded, 30_000, 50);
    expect(done.status).toBe('succeeded');
    const expiresIn = Date.parse(done.result_expires_at ?? '') - Date.parse(done.finished_at ?? '');
    expect(expiresIn).toBeCloseTo(TTL_SECONDS * 1000, -2);
    // The blobs go right after the write that says the job succeeded.
    const settled = Date.now() + 2000;
    while (readdirSync(blobFolder(accepted.id)).length > 1 && Date.now() < settled) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readdirSync(blobFolder(accepted.id))).toEqual(['result.json']);
    expect((await fetch(`${api.url}/api/v1/jobs/${accepted.id}/transcript.txt`)).status).toBe(200);

    const deadline = Date.now() + 20_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await fetch(`${api.url}/api/v1/jobs/${accepted.id}`)).status;
    }
    expect(status).toBe(404);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(done.result_expires_at ?? ''));
    expect(existsSync(blobFolder(accepted.id))).toBe(false);
  }, 60_000);

  it('keeps the upload of a failed job so it can be retried', async () => {
    const broken = join(api.tmpDir, 'broken.wav');
    writeFileSync(broken, readFileSync(speech.wav).subarray(0, 200));
    const accepted = await createJob(api.url, broken);
    const failed = await waitForJob(api.url, accepted.id, isEnded, 30_000, 50);
    expect(failed.status).toBe('failed');
    expect(readdirSync(blobFolder(accepted.id))).toContain('audio');
  }, 60_000);
});
