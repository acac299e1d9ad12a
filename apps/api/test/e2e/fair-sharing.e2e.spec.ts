import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, JobAccepted, JobEvent } from '@speech/contracts';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import { createKeyWithCli } from '../support/apikey-cli';
import { type ApiProcess, startApi } from './support/api-process';
import { fastJobsModel, loopedRecording } from './support/job-fixtures';
import { createJob, type EventReader, readEvents } from './support/jobs-client';
import { filePart, postMultipart } from './support/multipart';

const A_JOBS = 20;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NaN);

/**
 * Fair sharing on the built API with the real local engine (random-weight model): one worker, key A queues 20 long
 * jobs, then key B submits one short job. B's job must start after at most the window A's job is in the middle of —
 * not after A's whole queue. Asserted on the server's own event timeline (SSE), not on sleeps.
 */
describe('fair sharing between keys (built API, real engine)', () => {
  let api: ApiProcess;
  let dataDir: string;
  let speech: AudioFixture;
  let events: EventReader;
  const keys = { a: '', b: '', admin: '' };

  beforeAll(async () => {
    speech = speechFixture('A short job of another tenant.');
    dataDir = mkdtempSync(join(tmpdir(), 'fair-sharing-data-'));
    api = await startApi(
      {
        WHISPER_MODEL: await fastJobsModel(),
        WHISPER_THREADS: '1',
        API_KEYS_REQUIRED: 'true',
        API_KEY_CACHE_SECONDS: '0',
        JOB_WORKERS: '1',
        WINDOW_SECONDS: '60',
        // Yield at the first window boundary once another key waits (the default slice is 120 s).
        JOB_FAIR_SLICE_SECONDS: '0',
        JOB_POLL_MS: '200',
      },
      { dataDir },
    );
    const env = { DATA_DIR: dataDir };
    const [a, b, admin] = await Promise.all([
      createKeyWithCli(env, 'tenant a', ['transcribe', 'jobs:read']),
      createKeyWithCli(env, 'tenant b', ['transcribe', 'jobs:read']),
      createKeyWithCli(env, 'operator', ['admin']),
    ]);
    [keys.a, keys.b, keys.admin] = [a.key, b.key, admin.key];
    events = await readEvents(`${api.url}/api/v1/jobs/events`, bearer(keys.admin));
  }, 240_000);

  afterAll(async () => {
    events?.close();
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts B's short job within one window of A's running job, ahead of A's 19 queued jobs", async () => {
    const long = loopedRecording(10); // 10 windows of ~60 s each
    const aJobs: JobAccepted[] = [];
    for (let i = 0; i < A_JOBS; i += 1) aJobs.push(await createJob(api.url, long, {}, bearer(keys.a)));
    const aIds = new Set(aJobs.map((job) => job.id));
    const windowDone = (event: JobEvent) => aIds.has(event.job.id) && event.type === 'job.progress' && event.job.windows.done > 0;
    // A's first job is past its first window: the worker is busy with A.
    await events.waitFor(windowDone, 120_000);

    const b = await createJob(api.url, speech.wav, {}, bearer(keys.b));
    const timeline = await events.waitFor((event) => event.job.id === b.id && event.job.status === 'succeeded', 120_000);

    const bCreated = ms(b.created_at);
    const bStartedEvent = timeline.find((event) => event.job.id === b.id && event.job.status === 'running');
    const bStarted = ms(bStartedEvent?.job.started_at);
    expect(bStarted).toBeGreaterThanOrEqual(bCreated);

    // Windows of A finished while B waited: at most the one that was running when B arrived.
    const aWindowsWhileBWaited = timeline.filter(
      (event) => windowDone(event) && event.job.status === 'running' && ms(event.at) > bCreated && ms(event.at) < bStarted && isWindowCompletion(event, timeline),
    );
    expect(aWindowsWhileBWaited.length).toBeLessThanOrEqual(1);

    // In time: no longer than the longest window A took before B came (plus a claim), with room for a loaded machine.
    const windowTimes = completionGaps(timeline.filter((event) => windowDone(event) && ms(event.at) <= bCreated && isWindowCompletion(event, timeline)));
    const longestWindow = Math.max(...windowTimes, 1000);
    process.stdout.write(
      `fair sharing: B waited ${bStarted - bCreated} ms for a worker; A's windows took up to ${longestWindow} ms; ` +
        `A windows finished while B waited: ${aWindowsWhileBWaited.length}\n`,
    );
    expect(bStarted - bCreated).toBeLessThanOrEqual(longestWindow + 3000);

    // B did not wait behind A's queue: at most one A job had started when B did.
    const aStartedBeforeB = new Set(timeline.filter((event) => aIds.has(event.job.id) && event.job.status === 'running' && ms(event.at) <= bStarted).map((event) => event.job.id));
    expect(aStartedBeforeB.size).toBeLessThanOrEqual(2);

    // The yielded A job went back to the queue with its finished windows and no attempt used up, then resumed.
    const yielded = timeline.filter((event) => aIds.has(event.job.id) && event.job.status === 'queued' && event.job.windows.done > 0);
    expect(yielded.length).toBeGreaterThanOrEqual(1);
    const resumedId = yielded[0]?.job.id as string;
    const resumed = await events.waitFor((event) => event.job.id === resumedId && event.job.status === 'succeeded', 240_000);
    const final = resumed.find((event) => event.job.id === resumedId && event.job.status === 'succeeded')?.job as Job;
    expect(final.attempts).toBe(1);
    expect(final.windows).toEqual({ total: final.windows.total, done: final.windows.total });
    expect(api.output.join('\n')).toContain('job yielded its worker to another key');
  }, 600_000);
});

/** The caps on the built API: refusals with stable codes, in problem+json and in OpenAI's shape. Caps are per key. */
describe('per-key caps (built API)', () => {
  let api: ApiProcess;
  let dataDir: string;
  let speech: AudioFixture;
  let key = '';

  beforeAll(async () => {
    speech = speechFixture('Caps keep one key from taking everything.');
    dataDir = mkdtempSync(join(tmpdir(), 'caps-data-'));
    // No workers: jobs stay queued.
    api = await startApi(
      { API_KEYS_REQUIRED: 'true', API_KEY_CACHE_SECONDS: '0', JOB_WORKERS: '0', JOB_MAX_QUEUED_PER_KEY: '2', SYNC_MAX_CONCURRENT_PER_KEY: '1', WHISPER_THREADS: '1' },
      { dataDir },
    );
    key = (await createKeyWithCli({ DATA_DIR: dataDir }, 'tenant', ['transcribe', 'jobs:read'])).key;
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 429 JOB_QUEUE_FULL with Retry-After beyond JOB_MAX_QUEUED_PER_KEY', async () => {
    await createJob(api.url, speech.wav, {}, bearer(key));
    await createJob(api.url, speech.wav, {}, bearer(key));
    const refused = await postMultipart(`${api.url}/api/v1/jobs`, [filePart(speech.wav, 'clip.wav')], bearer(key));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ code: 'JOB_QUEUE_FULL', status: 429, limit: 2, queued: 2 });
  });

  it('answers 429 TOO_MANY_CONCURRENT_REQUESTS in OpenAI shape to the second sync request of a key, before reading its body', async () => {
    // Two uploads of one key that begin and never end: one takes the key's only slot and waits for its body; the
    // other is refused at once, before any of its body is read.
    const uploads = [heldUpload(api.url, key), heldUpload(api.url, key)];
    try {
      const refused = await Promise.race(uploads.map((upload) => upload.answer));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(await refused.body)).toMatchObject({ error: { code: 'TOO_MANY_CONCURRENT_REQUESTS', type: 'rate_limit_error' } });
    } finally {
      for (const upload of uploads) upload.abort();
    }
  });
});

interface HeldAnswer {
  readonly status: number | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: Promise<string>;
}

/** A /v1 transcription whose multipart upload starts and then stalls; `answer` settles only if the API answers early. */
function heldUpload(baseUrl: string, key: string): { answer: Promise<HeldAnswer>; abort: () => void } {
  const held = request(`${baseUrl}/v1/audio/transcriptions`, {
    method: 'POST',
    headers: { ...bearer(key), 'content-type': 'multipart/form-data; boundary=held', 'content-length': '100000' },
  });
  const answer = new Promise<HeldAnswer>((resolve) => {
    held.on('response', (response) => {
      const chunks: Buffer[] = [];
      const body = new Promise<string>((done) => {
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
      });
      resolve({ status: response.statusCode, headers: response.headers, body });
    });
  });
  held.on('error', () => undefined);
  held.write('--held\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n');
  return { answer, abort: () => held.destroy() };
}

/** A progress event that records a newly finished window (done went up for that job). */
function isWindowCompletion(event: JobEvent, timeline: readonly JobEvent[]): boolean {
  const index = timeline.indexOf(event);
  const before = timeline.slice(0, index).reverse().find((earlier) => earlier.job.id === event.job.id && earlier.type === 'job.progress');
  return event.job.windows.done > (before?.job.windows.done ?? 0);
}

/** Milliseconds between consecutive window completions of the same job. */
function completionGaps(completions: readonly JobEvent[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < completions.length; i += 1) {
    const previous = completions[i - 1] as JobEvent;
    const current = completions[i] as JobEvent;
    if (previous.job.id === current.job.id) gaps.push(ms(current.at) - ms(previous.at));
  }
  return gaps;
}
