import { type AudioFixture, speechFixture } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { pngBytes } from './support/bad-files';
import { isEnded, waitForJob } from './support/jobs-client';
import { filePart, type Part, postMultipart } from './support/multipart';
import { type OpenApiDocument, ResponseValidator } from './support/openapi-schemas';

/**
 * The OpenAPI document cannot lie: real answers of the built API (real engine, real jobs) are validated against the
 * schemas it documents for that route, status and media type. Component objects are closed, so an answer member the
 * document does not name fails, and error answers must carry one of the codes documented for their status.
 */
describe('OpenAPI document against real answers (built API, local engine)', () => {
  let api: ApiProcess;
  let speech: AudioFixture;
  let validator: ResponseValidator;

  beforeAll(async () => {
    speech = speechFixture('The document describes what the server answers.');
    api = await startApi({ WEBHOOK_SECRET: 'openapi-test-secret', JOB_POLL_MS: '200', WHISPER_THREADS: '1' });
    validator = new ResponseValidator((await (await fetch(`${api.url}/api/docs/openapi.json`)).json()) as OpenApiDocument);
  }, 180_000);

  afterAll(async () => api?.stop());

  /** Calls the API and validates the answer against the operation `method template`; answers the parsed body. */
  async function conforms(method: string, template: string, response: Response): Promise<unknown> {
    const contentType = response.headers.get('content-type') ?? '';
    const text = await response.text();
    const body: unknown = contentType.includes('json') ? JSON.parse(text) : text;
    expect(validator.errors(method, template, response.status, contentType, body)).toEqual([]);
    return body;
  }

  const get = (path: string) => fetch(`${api.url}${path}`);
  const audio = (fields: Record<string, string> = {}): Part[] => [
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    filePart(speech.wav, 'speech.wav', 'audio/wav'),
  ];

  it('GET /status and the health routes', async () => {
    await conforms('GET', '/status', await get('/status'));
    for (const path of ['/health', '/health/live', '/health/detail', '/health/storage', '/health/engine']) {
      const response = await get(path);
      expect([path, response.status]).toEqual([path, 200]);
      await conforms('GET', path, response);
    }
  });

  it('POST /transcribe in json (with words), verbose_json, srt and vtt', async () => {
    const json = (await conforms('POST', '/transcribe', await postMultipart(`${api.url}/transcribe`, audio({ word_timestamps: 'true' })))) as {
      segments: unknown[];
      words: unknown[];
    };
    expect(json.segments.length).toBeGreaterThan(0);
    expect(Array.isArray(json.words)).toBe(true);
    const verbose = audio({ response_format: 'verbose_json', timestamp_granularities: 'word,segment' });
    const body = (await conforms('POST', '/transcribe', await postMultipart(`${api.url}/transcribe`, verbose))) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['task', 'language', 'duration', 'text', 'segments', 'words']));
    for (const format of ['srt', 'vtt', 'text']) {
      const response = await postMultipart(`${api.url}/transcribe`, audio({ response_format: format }));
      expect(response.status).toBe(200);
      await conforms('POST', '/transcribe', response);
    }
  });

  it('the OpenAI-compatible routes, their answers and their error envelope', async () => {
    const text = (await conforms('POST', '/v1/audio/transcriptions', await postMultipart(`${api.url}/v1/audio/transcriptions`, audio({ model: 'whisper-1' })))) as object;
    expect(Object.keys(text)).toEqual(['text']);
    await conforms(
      'POST',
      '/v1/audio/translations',
      await postMultipart(`${api.url}/v1/audio/translations`, audio({ model: 'whisper-1', response_format: 'verbose_json' })),
    );
    const png = await postMultipart(`${api.url}/v1/audio/transcriptions`, [{ name: 'file', value: pngBytes(), filename: 'a.png', contentType: 'image/png' }]);
    expect(png.status).toBe(415);
    expect(await conforms('POST', '/v1/audio/transcriptions', png)).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA' } });
  });

  it('native error answers: problem+json with a documented code', async () => {
    const png = await postMultipart(`${api.url}/transcribe`, [{ name: 'file', value: pngBytes(), filename: 'a.png', contentType: 'image/png' }]);
    expect(await conforms('POST', '/transcribe', png)).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA' });
    const bad = await postMultipart(`${api.url}/transcribe`, audio({ temperature: '7' }));
    expect(await conforms('POST', '/transcribe', bad)).toMatchObject({ code: 'INVALID_OPTION', param: 'temperature' });
    expect(await conforms('GET', '/api/v1/jobs/{id}', await get('/api/v1/jobs/no-such-job'))).toMatchObject({ code: 'JOB_NOT_FOUND' });
    expect(await conforms('GET', '/api/v1/jobs', await get('/api/v1/jobs?limit=0'))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(await conforms('GET', '/api/v1/jobs/{id}/{file}', await get('/api/v1/jobs/x/transcript.docx'))).toMatchObject({ status: 404 });
  });

  it('a job from creation to transcript: 202, list, one job, its files, and the refusals of an ended job', async () => {
    const created = await postMultipart(`${api.url}/api/v1/jobs`, audio({ response_format: 'srt' }));
    expect(created.status).toBe(202);
    const accepted = (await conforms('POST', '/api/v1/jobs', created)) as { id: string };
    const asyncCreated = await postMultipart(`${api.url}/transcribe?async=true`, audio());
    expect(asyncCreated.status).toBe(202);
    await conforms('POST', '/transcribe', asyncCreated);

    const job = await waitForJob(api.url, accepted.id, isEnded, 120_000);
    expect(job.status).toBe('succeeded');
    await conforms('GET', '/api/v1/jobs/{id}', await get(`/api/v1/jobs/${job.id}`));
    await conforms('GET', '/status/{id}', await get(`/status/${job.id}`));
    await conforms('GET', '/api/v1/jobs', await get('/api/v1/jobs?limit=5&status=succeeded,queued,running'));
    await conforms('GET', '/api/v1/jobs/{id}/transcript', await get(`/api/v1/jobs/${job.id}/transcript`));
    for (const file of ['transcript.json', 'transcript.verbose.json', 'transcript.txt', 'transcript.srt', 'transcript.vtt']) {
      const response = await get(`/api/v1/jobs/${job.id}/${file}`);
      expect([file, response.status]).toEqual([file, 200]);
      await conforms('GET', '/api/v1/jobs/{id}/{file}', response);
    }
    const cancel = await fetch(`${api.url}/api/v1/jobs/${job.id}`, { method: 'DELETE' });
    expect(await conforms('DELETE', '/api/v1/jobs/{id}', cancel)).toMatchObject({ code: 'JOB_NOT_CANCELLABLE' });
    const retry = await fetch(`${api.url}/api/v1/jobs/${job.id}/retry`, { method: 'POST' });
    expect(await conforms('POST', '/api/v1/jobs/{id}/retry', retry)).toMatchObject({ code: 'JOB_NOT_RETRYABLE' });
  });

  it('GET /api/v1/webhooks/secret', async () => {
    expect(await conforms('GET', '/api/v1/webhooks/secret', await get('/api/v1/webhooks/secret'))).toMatchObject({ secret: expect.stringMatching(/^whsec_/) });
  });

  it('fails an answer the document does not describe (the validator is not a rubber stamp)', () => {
    const job = { id: 'j', status: 'queued', undocumented: true };
    expect(validator.errors('GET', '/api/v1/jobs/{id}', 200, 'application/json', job).join('\n')).toMatch(/additional|required/);
    expect(validator.errors('GET', '/api/v1/jobs/{id}', 418, 'application/json', {})).toEqual([expect.stringContaining('does not list')]);
    const wrongCode = { type: 't', title: 't', status: 404, code: 'NOT_FOUND', detail: 'd' };
    expect(validator.errors('GET', '/api/v1/jobs/{id}', 404, 'application/problem+json', wrongCode).join('\n')).toContain('allowed');
  });
});
