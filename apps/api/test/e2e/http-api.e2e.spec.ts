import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { type AudioFixture, FIXTURE_FORMATS, longSpeechFixture, speechFixture } from '@speech/test-support';
import { pngBytes, truncated, unknownCodecWav, zeroLengthWav } from './support/bad-files';
import { type ApiProcess, startApi } from './support/api-process';
import { asBody, filePart, multipartBody, type Part, postMultipart } from './support/multipart';

const MAX_FILE_SIZE = 256 * 1024;
const MAX_AUDIO_SECONDS = 20;

/** The native HTTP API as a real process with the real local engine: every format, and a table of bad input. */
describe('POST /transcribe (built API, local engine)', () => {
  let api: ApiProcess;
  let speech: AudioFixture;
  let long: AudioFixture;
  const transcripts: string[] = [];

  beforeAll(async () => {
    speech = speechFixture('Checking every container format through the HTTP API.');
    long = longSpeechFixture();
    api = await startApi({ MAX_FILE_SIZE: String(MAX_FILE_SIZE), MAX_AUDIO_SECONDS: String(MAX_AUDIO_SECONDS) });
  }, 120_000);

  afterAll(async () => api?.stop());

  it.each(FIXTURE_FORMATS)('transcribes %s', async (format) => {
    const response = await postMultipart(`${api.url}/transcribe`, [filePart(speech[format], `clip.${format}`), { name: 'language', value: 'en' }]);
    expect(response.status).toBe(200);
    const body = await response.json();
    transcripts.push(body.text);
    expect(body).toMatchObject({ language: 'en', duration: expect.closeTo(speech.durationSeconds, 1) });
    expect(Array.isArray(body.segments)).toBe(true);
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  interface BadCase {
    readonly name: string;
    readonly parts: () => Part[];
    readonly status: number;
    readonly code: string;
    readonly param?: string;
  }

  const audio = (bytes: Buffer, filename: string, contentType = 'audio/mpeg'): Part => ({ name: 'file', value: bytes, filename, contentType });

  const badInput: BadCase[] = [
    { name: 'an empty file', parts: () => [audio(Buffer.alloc(0), 'empty.mp3')], status: 400, code: 'EMPTY_FILE' },
    { name: 'a text file renamed .mp3', parts: () => [audio(Buffer.from('These are meeting notes, not audio.\n'.repeat(20)), 'notes.mp3')], status: 415, code: 'UNSUPPORTED_MEDIA' },
    { name: 'a truncated mp3 (first 300 bytes)', parts: () => [audio(truncated(speech.mp3, 300), 'cut.mp3')], status: 422, code: 'UNDECODABLE_AUDIO' },
    { name: 'a PNG image', parts: () => [audio(pngBytes(), 'photo.png', 'image/png')], status: 415, code: 'UNSUPPORTED_MEDIA' },
    { name: 'a PNG with a lying audio/wav Content-Type and .wav name', parts: () => [audio(pngBytes(), 'speech.wav', 'audio/wav')], status: 415, code: 'UNSUPPORTED_MEDIA' },
    { name: 'a zero-length wav (header only)', parts: () => [audio(zeroLengthWav(), 'silence.wav', 'audio/wav')], status: 422, code: 'UNDECODABLE_AUDIO' },
    { name: 'a wav with an unsupported codec', parts: () => [audio(unknownCodecWav(), 'odd.wav', 'audio/wav')], status: 415, code: 'UNSUPPORTED_MEDIA' },
    { name: 'a file over the size cap', parts: () => [audio(Buffer.concat([readFileSync(speech.wav), Buffer.alloc(MAX_FILE_SIZE)]), 'big.wav')], status: 413, code: 'FILE_TOO_LARGE' },
    { name: 'audio longer than the maximum duration', parts: () => [filePart(long.webm, 'lecture.webm')], status: 422, code: 'AUDIO_TOO_LONG' },
    { name: 'no file field at all', parts: () => [{ name: 'language', value: 'en' }], status: 400, code: 'MISSING_FILE', param: 'file' },
    { name: 'the file under another field name', parts: () => [{ ...filePart(speech.wav, 'a.wav'), name: 'audio' }], status: 400, code: 'INVALID_OPTION', param: 'audio' },
    { name: 'two files', parts: () => [filePart(speech.wav, 'a.wav'), filePart(speech.wav, 'b.wav')], status: 400, code: 'INVALID_OPTION', param: 'file' },
    { name: 'an unknown response_format', parts: () => [filePart(speech.wav, 'a.wav'), { name: 'response_format', value: 'docx' }], status: 400, code: 'INVALID_OPTION', param: 'response_format' },
    { name: 'a temperature out of range', parts: () => [filePart(speech.wav, 'a.wav'), { name: 'temperature', value: '7' }], status: 400, code: 'INVALID_OPTION', param: 'temperature' },
    { name: 'an unknown language', parts: () => [filePart(speech.wav, 'a.wav'), { name: 'language', value: 'xx' }], status: 400, code: 'INVALID_OPTION', param: 'language' },
    { name: 'an unknown task', parts: () => [filePart(speech.wav, 'a.wav'), { name: 'task', value: 'summarize' }], status: 400, code: 'INVALID_OPTION', param: 'task' },
  ];

  it.each(badInput)('refuses $name with $status $code', async ({ parts, status, code, param }) => {
    const response = await postMultipart(`${api.url}/transcribe`, parts());
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await response.json();
    expect(problem).toMatchObject({ status, code, request_id: response.headers.get('x-request-id') });
    expect(typeof problem.detail).toBe('string');
    expect(problem.detail.length).toBeGreaterThan(10);
    if (param) expect(problem.param).toBe(param);
  });

  it('names the duration limit in the AUDIO_TOO_LONG message', async () => {
    const problem = await (await postMultipart(`${api.url}/transcribe`, [filePart(long.webm, 'lecture.webm')])).json();
    expect(problem.detail).toContain(`${MAX_AUDIO_SECONDS} seconds`);
    expect(problem.limit_seconds).toBe(MAX_AUDIO_SECONDS);
  });

  it('refuses an oversized upload sent without Content-Length (chunked) while it streams', async () => {
    // Audio at the head (a WAV header): bytes that are not audio are refused with 415 from their first bytes, before
    // any size limit is reached; this one is decoded while it arrives until the size limit stops it.
    const { body, contentType } = multipartBody([audio(Buffer.concat([readFileSync(speech.wav), Buffer.alloc(MAX_FILE_SIZE * 3, 0x41)]), 'big.wav')]);
    const response = await fetch(`${api.url}/transcribe`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: Readable.toWeb(Readable.from([body.subarray(0, 1000), body.subarray(1000)])) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect((await response.json()).code).toBe('FILE_TOO_LARGE');
  });

  it('refuses a JSON body with MISSING_FILE that says what was sent', async () => {
    const response = await fetch(`${api.url}/transcribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"file":"x"}' });
    expect(response.status).toBe(400);
    const problem = await response.json();
    expect(problem.code).toBe('MISSING_FILE');
    expect(problem.detail).toContain('application/json');
  });

  it('refuses a malformed multipart body', async () => {
    const { body, contentType } = multipartBody([filePart(speech.wav, 'a.wav')]);
    const response = await fetch(`${api.url}/transcribe`, { method: 'POST', headers: { 'content-type': contentType }, body: asBody(body.subarray(0, body.length - 40)) });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe('INVALID_OPTION');
  });

  it('decides by content: real audio with a PNG name and image/png type is transcribed', async () => {
    const response = await postMultipart(`${api.url}/transcribe`, [filePart(speech.flac, 'holiday.png', 'image/png')]);
    expect(response.status).toBe(200);
  });

  it('ignores a path-traversal file name: nothing is written outside the request folder', async () => {
    const name = '../../../../tmp/evil-upload.wav';
    const response = await postMultipart(`${api.url}/transcribe`, [filePart(speech.wav, name, 'audio/wav')]);
    expect(response.status).toBe(200);
    expect(existsSync('/tmp/evil-upload.wav')).toBe(false);
    expect(readdirSync(dirname(api.tmpDir)).filter((entry) => entry.includes('evil'))).toEqual([]);
  });

  it('accepts a unicode file name', async () => {
    const response = await postMultipart(`${api.url}/transcribe`, [filePart(speech.ogg, '🎙️ réunion – 会议.ogg', 'audio/ogg')]);
    expect(response.status).toBe(200);
  });

  it('answers unknown routes with NOT_FOUND problem+json', async () => {
    const response = await fetch(`${api.url}/no/such/route`);
    expect(response.status).toBe(404);
    expect((await response.json()).code).toBe('NOT_FOUND');
  });

  it('stays up and leaves no temp file behind after all of the above', async () => {
    expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
    // Responses are sent before the folder is removed; give the last removal a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(api.leftoverTempEntries()).toEqual([]);
    expect(api.output.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  });

  it('serves OpenAPI at /api/docs and Prometheus metrics at /metrics', async () => {
    const openapi = await (await fetch(`${api.url}/api/docs/openapi.json`)).json();
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/transcribe', '/v1/audio/transcriptions', '/v1/audio/translations', '/health']));
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{route="\/transcribe",method="POST",status="200"\} \d+/);
    expect(metrics).toMatch(/audio_seconds_processed_total\{engine="local"\} [1-9]/);
    expect(metrics).toContain('transcription_queue_depth');
    expect(metrics).toMatch(/transcriptions_total\{engine="local",outcome="UNSUPPORTED_MEDIA"\} [1-9]/);
  });

  it('writes JSON logs with request ids and no transcript text or file names', () => {
    const requestLines = api.output.filter((line) => line.includes('"msg":"request"'));
    expect(requestLines.length).toBeGreaterThan(10);
    for (const line of requestLines) expect(JSON.parse(line)).toMatchObject({ request_id: expect.any(String), status: expect.any(Number) });
    const logs = api.output.join('\n');
    expect(logs).not.toContain('réunion');
    for (const text of transcripts.filter((t) => t.length > 3)) expect(logs).not.toContain(text);
  });
});
