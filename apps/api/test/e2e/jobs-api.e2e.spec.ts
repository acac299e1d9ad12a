import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Job, JobList } from '@speech/contracts';
import { type AudioFixture, longSpeechFixture, speechFixture } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { fastJobsModel, loopedRecording } from './support/job-fixtures';
import { createJob, getJob, isEnded, metricValue, readEvents, waitForJob } from './support/jobs-client';
import { filePart, postMultipart } from './support/multipart';

const SYNC_LIMIT_SECONDS = 20;

/** The jobs API on the built process with the real engine: lifecycle, formats, listing, idempotency, SSE, cancel, retry. */
describe('jobs API (built API, local engine)', () => {
  let api: ApiProcess;
  let speech: AudioFixture;
  let passage: AudioFixture;
  let tenMinutes: string;

  beforeAll(async () => {
    speech = speechFixture('Jobs take their time and report their progress.');
    passage = longSpeechFixture();
    tenMinutes = loopedRecording(10);
    api = await startApi({
      WHISPER_MODEL: await fastJobsModel(),
      WHISPER_THREADS: '1',
      WINDOW_SECONDS: '60',
      MAX_AUDIO_SECONDS: String(SYNC_LIMIT_SECONDS),
      WEBHOOK_SECRET: 'jobs-api-test-secret',
      JOB_POLL_MS: '200',
    });
  }, 180_000);

  afterAll(async () => api?.stop());

  it('creates a job (202 + Location), streams its states in order over SSE, and serves every format', async () => {
    const accepted = await createJob(api.url, passage.wav, { language: 'en', response_format: 'srt' });
    expect(accepted).toMatchObject({ status: expect.stringMatching(/queued|running/), options: { response_format: 'srt', language: 'en' } });
    expect(accepted.status_url).toBe(`/api/v1/jobs/${accepted.id}`);
    const events = await readEvents(`${api.url}${accepted.links.events}`);
    try {
      const all = await events.waitFor((event) => event.type === 'job.succeeded');
      expect(all.map((event) => event.seq)).toEqual(all.map((_, i) => i + 1));
      const statuses = all.map((event) => event.job.status);
      // Each state at most once and never backwards: queued… → running… → succeeded.
      const order = ['queued', 'running', 'succeeded'];
      const ranks = statuses.map((status) => order.indexOf(status));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(statuses.at(-1)).toBe('succeeded');
      const progress = all.map((event) => event.job.progress);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      const updated = all.map((event) => Date.parse(event.job.updated_at));
      expect(updated).toEqual([...updated].sort((a, b) => a - b));
    } finally {
      events.close();
    }
    const job = await getJob(api.url, accepted.id);
    expect(job).toMatchObject({ status: 'succeeded', progress: 1, attempts: 1, error: null, windows: { total: 1, done: 1 } });
    expect(job.audio.duration_seconds).toBeCloseTo(passage.durationSeconds, 1);
    expect(Date.parse(job.result_expires_at ?? '')).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);

    const srt = await fetch(`${api.url}${job.links.transcript}`);
    expect(srt.headers.get('content-type')).toContain('application/x-subrip');
    expect(await srt.text()).toMatch(/^1\n\d\d:\d\d:\d\d,\d{3} --> /);
    const files: Array<[string, string]> = [
      ['transcript.json', 'application/json'],
      ['transcript.txt', 'text/plain'],
      ['transcript.srt', 'application/x-subrip'],
      ['transcript.vtt', 'text/vtt'],
      ['transcript.verbose.json', 'application/json'],
    ];
    for (const [file, type] of files) {
      const response = await fetch(`${api.url}/api/v1/jobs/${job.id}/${file}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
      expect(response.headers.get('content-disposition')).toContain(file);
    }
    const json = await (await fetch(`${api.url}/api/v1/jobs/${job.id}/transcript.json`)).json();
    expect(json.duration).toBeCloseTo(passage.durationSeconds, 1);
    expect(json.segments.length).toBeGreaterThan(0);
    expect((await fetch(`${api.url}/api/v1/jobs/${job.id}/transcript.docx`)).status).toBe(404);
  }, 120_000);

  it('accepts POST /transcribe async=true with the seed status URL, and keeps GET /status as the service status', async () => {
    const response = await postMultipart(`${api.url}/transcribe?async=true`, [filePart(speech.mp3, 'note.mp3')]);
    expect(response.status).toBe(202);
    const accepted = await response.json();
    expect(accepted.status_url).toBe(`/status/${accepted.id}`);
    expect(response.headers.get('location')).toBe(accepted.status_url);
    const done = await waitForJob(api.url, accepted.id, isEnded);
    expect(done.status).toBe('succeeded');
    const polled = await (await fetch(`${api.url}${accepted.status_url}`)).json();
    expect(polled).toMatchObject({ id: accepted.id, status: 'succeeded', audio: { filename: 'note.mp3' } });
    const service = await (await fetch(`${api.url}/status`)).json();
    expect(service.service).toBe('speech-platform-api');
    const missing = await fetch(`${api.url}/status/job_nope`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).code).toBe('JOB_NOT_FOUND');
  }, 60_000);

  it('points a too-long sync request to async jobs', async () => {
    const response = await postMultipart(`${api.url}/transcribe`, [filePart(passage.webm, 'long.webm')]);
    expect(response.status).toBe(422);
    const problem = await response.json();
    expect(problem.code).toBe('AUDIO_TOO_LONG');
    expect(problem.detail).toContain(`${SYNC_LIMIT_SECONDS} seconds`);
    expect(problem.detail).toMatch(/async job: POST \/api\/v1\/jobs, or POST \/transcribe with async=true/);
    expect(problem.jobs_url).toBe('/api/v1/jobs');
  });

  it('honours Idempotency-Key: a replay answers the same job, a different request under the key is a 409', async () => {
    const key = `idem-${Date.now()}`;
    const first = await createJob(api.url, speech.wav, { language: 'en' }, { 'idempotency-key': key });
    const again = await postMultipart(`${api.url}/api/v1/jobs`, [filePart(speech.wav, 'clip.wav'), { name: 'language', value: 'en' }], { 'idempotency-key': key });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await again.json()).id).toBe(first.id);
    const other = await postMultipart(`${api.url}/api/v1/jobs`, [filePart(speech.wav, 'clip.wav'), { name: 'language', value: 'de' }], { 'idempotency-key': key });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', job_id: first.id });
    await waitForJob(api.url, first.id, isEnded);
  }, 60_000);

  it('lists jobs newest first, filters by status and pages with next_cursor', async () => {
    const created = [];
    for (let i = 0; i < 3; i += 1) created.push(await createJob(api.url, speech.flac));
    for (const job of created) await waitForJob(api.url, job.id, isEnded);
    const firstPage = (await (await fetch(`${api.url}/api/v1/jobs?limit=2&status=succeeded`)).json()) as JobList;
    expect(firstPage.data.map((job) => job.id)).toEqual([created[2]?.id, created[1]?.id]);
    expect(firstPage.next_cursor).toEqual(expect.any(String));
    const secondPage = (await (await fetch(`${api.url}/api/v1/jobs?limit=2&status=succeeded&cursor=${firstPage.next_cursor}`)).json()) as JobList;
    expect(secondPage.data[0]?.id).toBe(created[0]?.id);
    const none = (await (await fetch(`${api.url}/api/v1/jobs?status=failed,cancelled&limit=100`)).json()) as JobList;
    expect(none.data.every((job) => job.status === 'failed' || job.status === 'cancelled')).toBe(true);
    const bad = await fetch(`${api.url}/api/v1/jobs?status=done`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_OPTION', param: 'status' });
  }, 60_000);

  it('streams every job on /api/v1/jobs/events: creation, then its end', async () => {
    const stream = await readEvents(`${api.url}/api/v1/jobs/events`);
    try {
      const accepted = await createJob(api.url, speech.ogg);
      const all = await stream.waitFor((event) => event.job.id === accepted.id && event.type === 'job.succeeded');
      const mine = all.filter((event) => event.job.id === accepted.id);
      expect(mine[0]?.type).toBe('job.created');
      expect(mine.at(-1)?.type).toBe('job.succeeded');
      expect(all.map((event) => event.seq)).toEqual(all.map((_, i) => i + 1));
    } finally {
      stream.close();
    }
  }, 60_000);

  it('cancels a running job: the engine work stops, the next job runs at once; then retry finishes it', async () => {
    const cancelledBefore = await metricValue(api.url, /job_windows_total\{outcome="CANCELLED"\} (\d+)/);
    const long = await createJob(api.url, tenMinutes, { language: 'en' });
    await waitForJob(api.url, long.id, (job) => job.status === 'running' && job.windows.done >= 2, 60_000, 50);
    const response = await fetch(`${api.url}/api/v1/jobs/${long.id}`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    const cancelled = (await response.json()) as Job;
    expect(cancelled).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    const deadline = Date.now() + 5000;
    while ((await metricValue(api.url, /job_windows_total\{outcome="CANCELLED"\} (\d+)/)) === cancelledBefore && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await metricValue(api.url, /job_windows_total\{outcome="CANCELLED"\} (\d+)/)).toBe(cancelledBefore + 1);
    const stoppedAt = (await getJob(api.url, long.id)).windows.done;
    const started = Date.now();
    const next = await createJob(api.url, speech.wav);
    expect((await waitForJob(api.url, next.id, isEnded, 20_000)).status).toBe('succeeded');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await getJob(api.url, long.id)).windows.done).toBe(stoppedAt);

    const again = await fetch(`${api.url}/api/v1/jobs/${long.id}`, { method: 'DELETE' });
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('JOB_NOT_CANCELLABLE');

    const retried = await fetch(`${api.url}/api/v1/jobs/${long.id}/retry`, { method: 'POST' });
    expect(retried.status).toBe(202);
    expect(await retried.json()).toMatchObject({ status: 'queued', error: null });
    const finished = await waitForJob(api.url, long.id, isEnded, 120_000);
    expect(finished).toMatchObject({ status: 'succeeded', attempts: 2, windows: { total: 10, done: 10 } });
    const reuse = api.output.filter((line) => line.includes('"job started"') && line.includes(long.id));
    expect(JSON.parse(reuse.at(-1) ?? '{}').reused_windows).toBeGreaterThanOrEqual(stoppedAt);
    const notAgain = await fetch(`${api.url}/api/v1/jobs/${long.id}/retry`, { method: 'POST' });
    expect(notAgain.status).toBe(409);
    expect((await notAgain.json()).code).toBe('JOB_NOT_RETRYABLE');
  }, 240_000);

  it('fails a job on undecodable audio with a stable code, and refuses non-audio at once', async () => {
    const broken = join(api.tmpDir, 'broken.mp3');
    writeFileSync(broken, readFileSync(speech.mp3).subarray(0, 300));
    const accepted = await createJob(api.url, broken);
    const failed = await waitForJob(api.url, accepted.id, isEnded);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'UNDECODABLE_AUDIO' } });
    const transcript = await fetch(`${api.url}${failed.links.transcript}`);
    expect(transcript.status).toBe(409);
    expect((await transcript.json()).code).toBe('JOB_NOT_FINISHED');
    const text = await postMultipart(`${api.url}/api/v1/jobs`, [{ name: 'file', value: Buffer.from('not audio at all '.repeat(20)), filename: 'a.mp3' }]);
    expect(text.status).toBe(415);
    expect((await text.json()).code).toBe('UNSUPPORTED_MEDIA');
  }, 60_000);

  it('refuses loopback and private callback URLs by default (SSRF), before creating anything', async () => {
    for (const target of ['http://127.0.0.1:9/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest/meta-data', 'http://10.1.2.3/x']) {
      const response = await postMultipart(`${api.url}/api/v1/jobs`, [filePart(speech.wav, 'a.wav'), { name: 'callback_url', value: target }]);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'CALLBACK_URL_REJECTED', param: 'callback_url' });
    }
  });
});
