import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { speechFixture } from '@speech/test-support';
import OpenAI from 'openai';
import { createKeyWithCli } from '../support/apikey-cli';
import { type ApiProcess, startApi } from './support/api-process';
import { CpuLoad } from './support/cpu-load';

const UPLOAD_BYTES = 8 * 1024 * 1024;
const REPEATS = 5;

/**
 * Refusals made before the body is read (401, 403, 413, 429) must reach the client whole, also while the client is
 * still uploading and the machine is busy: the official SDK raises its typed error, never APIConnectionError.
 */
describe('early refusals reach the client (built API, keys required, CPU under load)', () => {
  let api: ApiProcess;
  let dataDir: string;
  let load: CpuLoad;
  const keys = { reader: '', flooder: '' };
  const upload = randomBytes(UPLOAD_BYTES);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'early-refusals-'));
    api = await startApi(
      { API_KEYS_REQUIRED: 'true', API_KEY_CACHE_SECONDS: '0', JOB_WORKERS: '0', MAX_FILE_SIZE: String(1024 * 1024), RATE_LIMIT_PER_KEY: '6' },
      { dataDir },
    );
    [keys.reader, keys.flooder] = (
      await Promise.all([createKeyWithCli({ DATA_DIR: dataDir }, 'reader', ['jobs:read']), createKeyWithCli({ DATA_DIR: dataDir }, 'flooder', ['transcribe'])])
    ).map((made) => made.key) as [string, string];
    // Spend the flooder's bucket (6 per minute) on bodiless requests that cost nothing (400 MISSING_FILE).
    for (let index = 0; index < 7; index += 1) {
      await fetch(`${api.url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${keys.flooder}` } });
    }
    load = new CpuLoad(2);
  }, 240_000);

  afterAll(async () => {
    await load?.stop();
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const sdk = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${api.url}/v1`, maxRetries: 0, timeout: 60_000 });
  const uploadWith = (apiKey: string) =>
    sdk(apiKey)
      .audio.transcriptions.create({ file: new File([upload], 'speech.mp3', { type: 'audio/mpeg' }), model: 'whisper-1' })
      .then(
        () => new Error('the upload was accepted'),
        (error: unknown) => error,
      );

  const cases: Array<[string, () => string, new (...args: never[]) => Error, number, string]> = [
    ['401 an unknown key', () => 'sk-not-a-key-of-ours', OpenAI.AuthenticationError, 401, 'UNAUTHORIZED'],
    ['403 a key without the transcribe scope', () => keys.reader, OpenAI.PermissionDeniedError, 403, 'FORBIDDEN'],
    ['429 a key over its rate limit', () => keys.flooder, OpenAI.RateLimitError, 429, 'RATE_LIMITED'],
  ];

  it.each(cases)(`%s: the SDK raises its typed error on each of ${REPEATS} multi-MB uploads`, async (_name, key, type, status, code) => {
    for (let attempt = 0; attempt < REPEATS; attempt += 1) {
      const error = await uploadWith(key());
      expect(error).not.toBeInstanceOf(OpenAI.APIConnectionError);
      expect(error).toBeInstanceOf(type);
      expect(error).toMatchObject({ status, code });
    }
  }, 180_000);

  it(`413 a file over MAX_FILE_SIZE (refused on Content-Length): an APIError with the code on each of ${REPEATS} uploads`, async () => {
    const { key } = await createKeyWithCli({ DATA_DIR: dataDir }, 'uploader', ['transcribe']);
    for (let attempt = 0; attempt < REPEATS; attempt += 1) {
      const error = await uploadWith(key);
      expect(error).not.toBeInstanceOf(OpenAI.APIConnectionError);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error).toMatchObject({ status: 413, code: 'FILE_TOO_LARGE' });
    }
  }, 180_000);

  it('a client that sends the whole body before it reads finds the whole answer, then a clean close (FIN, no RST)', async () => {
    const result = await rawUpload(port(api), 16 * 1024 * 1024, { readWhileSending: false });
    expect(result.writeError).toBeUndefined();
    expect(result.readError).toBeUndefined();
    expect(result.response).toMatchObject({ status: 401, complete: true });
    expect(result.ended).toBe(true);
  }, 120_000);

  it('a client that keeps sending past the drain bound (32 MiB) has the whole answer before the server cuts the connection', async () => {
    const result = await rawUpload(port(api), 48 * 1024 * 1024, { readWhileSending: true });
    expect(result.response).toMatchObject({ status: 401, complete: true });
    expect(result.answeredBeforeClose).toBe(true);
  }, 120_000);
});

function port(api: ApiProcess): number {
  return Number(new URL(api.url).port);
}

interface RawUploadResult {
  readonly response: { status: number; complete: boolean } | undefined;
  /** The whole answer had arrived when the connection ended (FIN or RST). */
  readonly answeredBeforeClose: boolean;
  /** The server ended the connection with a FIN ('end'), not only a reset. */
  readonly ended: boolean;
  readonly writeError?: string;
  readonly readError?: string;
}

/** A refused multipart upload (bad key) of `bytes`, by hand on one socket, recording what arrives and when it closes. */
function rawUpload(port: number, bytes: number, options: { readWhileSending: boolean }): Promise<RawUploadResult> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let answeredBeforeClose = false;
    let ended = false;
    let writeError: string | undefined;
    let readError: string | undefined;
    let writing = true;
    const parse = () => parseResponse(received);
    if (!options.readWhileSending) socket.pause();
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
    });
    socket.on('end', () => {
      ended = true;
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (writing) writeError = error.code ?? error.message;
      else readError = error.code ?? error.message;
    });
    socket.on('close', () => {
      answeredBeforeClose = parse()?.complete === true;
      resolve({ response: parse(), answeredBeforeClose, ended, writeError, readError });
    });
    const chunk = randomBytes(64 * 1024);
    let sent = 0;
    socket.write(
      'POST /v1/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk-not-a-key-of-ours\r\n' +
        `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: ${bytes}\r\n\r\n`,
    );
    const pump = () => {
      while (sent < bytes && !socket.destroyed) {
        const size = Math.min(chunk.length, bytes - sent);
        sent += size;
        if (!socket.write(chunk.subarray(0, size))) return void socket.once('drain', pump);
      }
      writing = false;
      socket.resume();
      // Done sending: half-close like a client that waits for the answer.
      if (!socket.destroyed) socket.end();
    };
    pump();
  });
}

function parseResponse(bytes: Buffer): { status: number; complete: boolean } | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = bytes.subarray(0, end).toString('latin1');
  const status = Number(head.split(' ')[1]);
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? NaN);
  return { status, complete: bytes.length >= end + 4 + length };
}

/** 503 ENGINE_BUSY is refused before the upload is read (engine-admission guard): it must arrive whole as well. */
describe('early 503 ENGINE_BUSY reaches the client (built API, engine held busy, CPU under load)', () => {
  let api: ApiProcess;
  let load: CpuLoad;
  let worker = 0;
  let held: Promise<unknown> = Promise.resolve();

  beforeAll(async () => {
    const speech = speechFixture('Hold the engine while the others wait.');
    api = await startApi({ ENGINE_CONCURRENCY: '1', ENGINE_QUEUE_SIZE: '0', WHISPER_THREADS: '1', JOB_WORKERS: '0' });
    worker = api.childPids().find((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'whisper-worker') ?? 0;
    expect(worker).toBeGreaterThan(0);
    // A stopped worker keeps the one engine slot taken for as long as the test needs.
    process.kill(worker, 'SIGSTOP');
    const client = new OpenAI({ apiKey: 'sk-local', baseURL: `${api.url}/v1`, maxRetries: 0, timeout: 120_000 });
    held = client.audio.transcriptions.create({ file: createReadStream(speech.wav), model: 'whisper-1' }).catch((error: unknown) => error);
    const deadline = Date.now() + 30_000;
    while (!/^transcription_in_flight [1-9]/m.test(await (await fetch(`${api.url}/metrics`)).text())) {
      if (Date.now() > deadline) throw new Error('the holding request never reached the engine');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    load = new CpuLoad(2);
  }, 240_000);

  afterAll(async () => {
    await load?.stop();
    if (worker) process.kill(worker, 'SIGCONT');
    await held;
    await api?.stop();
  });

  it(`the SDK raises InternalServerError (503, ENGINE_BUSY) on each of ${REPEATS} multi-MB uploads`, async () => {
    const client = new OpenAI({ apiKey: 'sk-local', baseURL: `${api.url}/v1`, maxRetries: 0, timeout: 60_000 });
    await expectEachRefused(client, OpenAI.InternalServerError, { status: 503, code: 'ENGINE_BUSY' });
  }, 180_000);
});

/** 415 UNSUPPORTED_MEDIA is decided from the first bytes, while the rest of the upload still arrives: whole as well. */
describe('early 415 UNSUPPORTED_MEDIA reaches the client (built API, CPU under load)', () => {
  let api: ApiProcess;
  let load: CpuLoad;

  beforeAll(async () => {
    api = await startApi({ MAX_FILE_SIZE: String(2 * UPLOAD_BYTES), JOB_WORKERS: '0' });
    load = new CpuLoad(2);
  }, 240_000);

  afterAll(async () => {
    await load?.stop();
    await api?.stop();
  });

  it(`the SDK raises its APIError (415, UNSUPPORTED_MEDIA) on each of ${REPEATS} multi-MB non-audio uploads, and no temp file stays`, async () => {
    const client = new OpenAI({ apiKey: 'sk-local', baseURL: `${api.url}/v1`, maxRetries: 0, timeout: 60_000 });
    await expectEachRefused(client, OpenAI.APIError, { status: 415, code: 'UNSUPPORTED_MEDIA' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(api.leftoverTempEntries()).toEqual([]);
  }, 180_000);
});

/** REPEATS multi-MB uploads of random bytes through the SDK: each one raises `type` with `expected`, never a connection error. */
async function expectEachRefused(client: OpenAI, type: new (...args: never[]) => Error, expected: { status: number; code: string }): Promise<void> {
  const upload = randomBytes(UPLOAD_BYTES);
  for (let attempt = 0; attempt < REPEATS; attempt += 1) {
    const error = await client.audio.transcriptions
      .create({ file: new File([upload], 'speech.mp3', { type: 'audio/mpeg' }), model: 'whisper-1' })
      .then(
        () => new Error('the upload was accepted'),
        (failure: unknown) => failure,
      );
    expect(error).not.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject(expected);
  }
}
