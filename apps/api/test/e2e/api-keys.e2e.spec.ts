import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, JobAccepted, JobList } from '@speech/contracts';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import OpenAI from 'openai';
import { createKeyWithCli, runApiKeyCli } from '../support/apikey-cli';
import { type ApiProcess, startApi } from './support/api-process';
import { readEvents } from './support/jobs-client';
import { filePart, postMultipart } from './support/multipart';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** The built API as a real process with API_KEYS_REQUIRED=true; every key is made by the real CLI on the same store. */
describe('API keys (built API, keys required)', () => {
  let api: ApiProcess;
  let dataDir: string;
  let speech: AudioFixture;
  let firstRefusal: { status: number; detail: string };
  const keys: Record<'a' | 'b' | 'reader' | 'admin', string> = { a: '', b: '', reader: '', admin: '' };
  const cliEnv = () => ({ DATA_DIR: dataDir });

  beforeAll(async () => {
    speech = speechFixture('Only callers with a key may use this service.');
    dataDir = mkdtempSync(join(tmpdir(), 'api-keys-data-'));
    // No workers: jobs stay queued, so cancel/retry/transcript answers depend only on who asks.
    api = await startApi({ API_KEYS_REQUIRED: 'true', API_KEY_CACHE_SECONDS: '0', JOB_WORKERS: '0', WHISPER_THREADS: '1' }, { dataDir });
    const response = await fetch(`${api.url}/api/v1/jobs`);
    firstRefusal = { status: response.status, detail: ((await response.json()) as { detail: string }).detail };
    const env = cliEnv();
    // The CLI writes to the store the running API reads: same DATA_DIR/jobs.sqlite.
    const made = await Promise.all([
      createKeyWithCli(env, 'tenant a', ['transcribe', 'jobs:read']),
      createKeyWithCli(env, 'tenant b', ['transcribe', 'jobs:read']),
      createKeyWithCli(env, 'dashboard', ['jobs:read']),
      createKeyWithCli(env, 'operator', ['admin']),
    ]);
    [keys.a, keys.b, keys.reader, keys.admin] = made.map((made) => made.key) as [string, string, string, string];
  }, 240_000);

  afterAll(async () => {
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a keyless request with 401: problem+json natively, OpenAI shape on /v1, WWW-Authenticate: Bearer', async () => {
    expect(firstRefusal.status).toBe(401);
    expect(firstRefusal.detail).toContain('npm run apikey -- create');

    const native = await fetch(`${api.url}/api/v1/jobs`);
    expect(native.status).toBe(401);
    expect(native.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(native.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const problem = (await native.json()) as { code: string; detail: string; request_id: string };
    expect(problem).toMatchObject({ code: 'UNAUTHORIZED', request_id: expect.any(String) });
    expect(problem.detail).toContain('Authorization: Bearer <key>');
    // Keys exist now: no more hint to create the first one.
    expect(problem.detail).not.toContain('npm run apikey');

    const openAi = await postMultipart(`${api.url}/v1/audio/transcriptions`, [filePart(speech.wav, 'speech.wav'), { name: 'model', value: 'whisper-1' }]);
    expect(openAi.status).toBe(401);
    expect(openAi.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await openAi.json()).toEqual({ error: { message: expect.stringContaining('API key'), type: 'authentication_error', param: null, code: 'UNAUTHORIZED' } });
  });

  it('accepts a key as Authorization: Bearer and as x-api-key', async () => {
    expect((await fetch(`${api.url}/api/v1/jobs`, { headers: bearer(keys.reader) })).status).toBe(200);
    expect((await fetch(`${api.url}/api/v1/jobs`, { headers: { 'x-api-key': keys.reader } })).status).toBe(200);
    expect((await fetch(`${api.url}/api/v1/jobs`, { headers: bearer(`${keys.reader.slice(0, -2)}xx`) })).status).toBe(401);
  });

  it('works with the official OpenAI SDK: a good key transcribes, a bad one raises AuthenticationError, a reader PermissionDeniedError', async () => {
    const sdk = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${api.url}/v1`, maxRetries: 0, timeout: 120_000 });
    const result = await sdk(keys.a).audio.transcriptions.create({ file: createReadStream(speech.mp3), model: 'whisper-1', response_format: 'json', temperature: 0 });
    expect(typeof result.text).toBe('string');

    const bad = await sdk('spk_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').audio.transcriptions
      .create({ file: createReadStream(speech.mp3), model: 'whisper-1' })
      .catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(bad).toMatchObject({ status: 401, code: 'UNAUTHORIZED', type: 'authentication_error' });

    const reader = await sdk(keys.reader).audio.translations.create({ file: createReadStream(speech.mp3), model: 'whisper-1' }).catch((error: unknown) => error);
    expect(reader).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(reader).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((reader as Error).message).toContain('"transcribe"');
  });

  it('answers 403 FORBIDDEN naming a missing scope; /health is open; /metrics needs admin', async () => {
    const upload = await postMultipart(`${api.url}/api/v1/jobs`, [filePart(speech.wav, 'speech.wav')], bearer(keys.reader));
    expect(upload.status).toBe(403);
    expect(await upload.json()).toMatchObject({ code: 'FORBIDDEN', scope: 'transcribe' });

    expect((await fetch(`${api.url}/health`)).status).toBe(200);
    expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${api.url}/metrics`, { headers: bearer(keys.a) })).status).toBe(403);
    const metrics = await fetch(`${api.url}/metrics`, { headers: bearer(keys.admin) });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('http_requests_total');
  });

  it('refuses a revoked key at once (API_KEY_CACHE_SECONDS=0)', async () => {
    const doomed = await createKeyWithCli(cliEnv(), 'short-lived', ['jobs:read']);
    expect((await fetch(`${api.url}/api/v1/jobs`, { headers: bearer(doomed.key) })).status).toBe(200);
    expect((await runApiKeyCli(['revoke', doomed.keyId], cliEnv())).code).toBe(0);
    const refused = await fetch(`${api.url}/api/v1/jobs`, { headers: bearer(doomed.key) });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    // Logs name the key id, never the key.
    expect(api.output.join('\n')).toContain(doomed.keyId);
    expect(api.output.join('\n')).not.toContain(doomed.key);
  });

  it("keeps each key's jobs to itself (get, list, cancel, retry, transcripts, SSE, /status) while admin sees all", async () => {
    const streams = {
      a: await readEvents(`${api.url}/api/v1/jobs/events`, bearer(keys.a)),
      b: await readEvents(`${api.url}/api/v1/jobs/events`, bearer(keys.b)),
      admin: await readEvents(`${api.url}/api/v1/jobs/events`, bearer(keys.admin)),
    };
    try {
      const create = async (key: string, headers: Record<string, string> = {}) => {
        const response = await postMultipart(`${api.url}/api/v1/jobs`, [filePart(speech.wav, 'speech.wav')], { ...bearer(key), ...headers });
        expect(response.status).toBe(202);
        return { job: (await response.json()) as JobAccepted, replayed: response.headers.get('idempotent-replayed') };
      };
      const { job: x } = await create(keys.a);
      const { job: y } = await create(keys.b);
      const as = (key: string, path: string, method = 'GET') => fetch(`${api.url}${path}`, { method, headers: bearer(key) });

      for (const [method, path] of [
        ['GET', `/api/v1/jobs/${x.id}`],
        ['GET', `/status/${x.id}`],
        ['GET', `/api/v1/jobs/${x.id}/transcript`],
        ['GET', `/api/v1/jobs/${x.id}/transcript.srt`],
        ['GET', `/api/v1/jobs/${x.id}/events`],
        ['POST', `/api/v1/jobs/${x.id}/retry`],
        ['DELETE', `/api/v1/jobs/${x.id}`],
      ] as const) {
        const response = await as(keys.b, path, method);
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
        const body = (await response.json()) as { code: string; detail: string };
        // Exactly what a job that never existed answers.
        const missing = (await (await as(keys.b, path.replace(x.id, 'job_00000000000000000000000000000000'), method)).json()) as { code: string; detail: string };
        expect(body.code).toBe('JOB_NOT_FOUND');
        expect(body.detail).toBe(missing.detail.replace('job_00000000000000000000000000000000', x.id));
      }

      // The owner itself gets the job's real state.
      expect((await as(keys.a, `/api/v1/jobs/${x.id}`)).status).toBe(200);
      expect((await as(keys.a, `/status/${x.id}`)).status).toBe(200);
      expect((await as(keys.a, `/api/v1/jobs/${x.id}/transcript`)).status).toBe(409);

      const listOf = async (key: string) => ((await (await as(key, '/api/v1/jobs?limit=100')).json()) as JobList).data.map((job: Job) => job.id);
      expect(await listOf(keys.a)).toEqual([x.id]);
      expect(await listOf(keys.b)).toEqual([y.id]);
      expect(await listOf(keys.reader)).toEqual([]);
      expect(await listOf(keys.admin)).toEqual(expect.arrayContaining([x.id, y.id]));

      // B's stream got its own job, and (published earlier, on the same bus) never A's; admin got both.
      await streams.b.waitFor((event) => event.job.id === y.id);
      await streams.a.waitFor((event) => event.job.id === x.id);
      await streams.admin.waitFor((event) => event.job.id === y.id);
      expect(streams.b.events.map((event) => event.job.id)).not.toContain(x.id);
      expect(streams.a.events.map((event) => event.job.id)).not.toContain(y.id);
      expect(streams.admin.events.map((event) => event.job.id)).toEqual(expect.arrayContaining([x.id, y.id]));

      // Admin may act on any owner's job.
      const cancelled = await as(keys.admin, `/api/v1/jobs/${x.id}`, 'DELETE');
      expect(cancelled.status).toBe(200);
      expect(await cancelled.json()).toMatchObject({ id: x.id, status: 'cancelled' });
      expect((await as(keys.b, `/api/v1/jobs/${y.id}`, 'DELETE')).status).toBe(200);

      // The same Idempotency-Key from two keys makes two jobs; a replay by the same key answers the first.
      const first = await create(keys.a, { 'idempotency-key': 'invoice-7' });
      const other = await create(keys.b, { 'idempotency-key': 'invoice-7' });
      const replay = await create(keys.a, { 'idempotency-key': 'invoice-7' });
      expect(other.job.id).not.toBe(first.job.id);
      expect(other.replayed).toBe('false');
      expect(replay).toMatchObject({ job: { id: first.job.id }, replayed: 'true' });
    } finally {
      for (const stream of Object.values(streams)) stream.close();
    }
  });

  it('refuses an upload without a key before reading it: the answer comes while the body is still being sent, nothing reaches TMP_DIR', async () => {
    const declared = 50 * 1024 * 1024;
    for (const [path, headers, status] of [
      ['/api/v1/jobs', {}, 401],
      ['/v1/audio/transcriptions', { authorization: 'Bearer spk_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 401],
      ['/transcribe', bearer(keys.reader), 403],
    ] as const) {
      const sent = await new Promise<{ status: number; bytesSent: number }>((resolve, reject) => {
        const request = httpRequest(`${api.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(declared), ...headers },
        });
        let bytesSent = 0;
        request.on('response', (response) => {
          resolve({ status: response.statusCode ?? 0, bytesSent });
          response.resume();
          request.destroy();
        });
        request.on('error', (error) => reject(new Error(`no answer before the connection failed: ${error.message}`)));
        // 1 MiB of the 50 MiB, then nothing: only an answer that does not wait for the body can arrive.
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        for (let i = 0; i < 16; i += 1) {
          request.write(chunk);
          bytesSent += chunk.length;
        }
      });
      expect({ path, status: sent.status }).toEqual({ path, status });
      expect(sent.bytesSent).toBeLessThan(declared / 10);
    }
    expect(api.leftoverTempEntries()).toEqual([]);
    expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
  });
});

describe('API keys: defaults by NODE_ENV (built API)', () => {
  it('requires keys in production when API_KEYS_REQUIRED is not set, and not in development', async () => {
    const production = await startApi({ NODE_ENV: 'production', WHISPER_THREADS: '1' });
    try {
      const response = await fetch(`${production.url}/api/v1/jobs`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
      expect((await fetch(`${production.url}/health`)).status).toBe(200);
    } finally {
      await production.stop();
    }
    const development = await startApi({ NODE_ENV: 'development', WHISPER_THREADS: '1' });
    try {
      expect((await fetch(`${development.url}/api/v1/jobs`)).status).toBe(200);
      expect((await fetch(`${development.url}/metrics`)).status).toBe(200);
    } finally {
      await development.stop();
    }
  }, 240_000);
});
