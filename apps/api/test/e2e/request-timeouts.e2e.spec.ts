import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { loopedRecording } from './support/job-fixtures';
import { asBody, multipartBody } from './support/multipart';

/** A hand-driven connection: what the server wrote, and whether it closed. */
interface RawClient {
  readonly socket: Socket;
  received(): string;
  closed(): boolean;
}

function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let ended = false;
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('close', () => (ended = true));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => data, closed: () => ended }));
    socket.once('error', reject);
  });
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Request head plus the first half of a valid multipart upload whose Content-Length promises the whole. */
function halfAnUpload(path: string, audio: Buffer): { head: Buffer; firstHalf: Buffer; rest: Buffer } {
  const { body, contentType } = multipartBody([{ name: 'file', value: audio, filename: 'speech.wav', contentType: 'audio/wav' }]);
  const head = Buffer.from(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`, 'latin1');
  const half = Math.floor(body.length / 2);
  return { head, firstHalf: body.subarray(0, half), rest: body.subarray(half) };
}

/** Files under `dir` the process still holds open (a removed upload still open keeps its disk space). */
function openFilesUnder(pid: number, dir: string): string[] {
  const fdDir = `/proc/${pid}/fd`;
  return readdirSync(fdDir)
    .map((fd) => {
      try {
        return readlinkSync(`${fdDir}/${fd}`);
      } catch {
        return ''; // closed while we looked
      }
    })
    .filter((target) => target.startsWith(`${dir}/req-`));
}

function bodyOf(raw: string): Record<string, unknown> {
  return JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

/** Node's server time-outs and the upload idle time-out of the built API, with clients that stall on purpose. */
describe('request time-outs (built API)', () => {
  let api: ApiProcess;
  let speech: AudioFixture;
  let port: number;

  beforeAll(async () => {
    speech = speechFixture('A client that stops sending halfway through.');
    api = await startApi({ UPLOAD_IDLE_TIMEOUT_SECONDS: '1', REQUEST_TIMEOUT_SECONDS: '3', KEEP_ALIVE_TIMEOUT_SECONDS: '7' });
    port = Number(new URL(api.url).port);
  }, 120_000);

  afterAll(async () => api?.stop());

  it('keeps idle connections for KEEP_ALIVE_TIMEOUT_SECONDS and says so', async () => {
    const keepAlive = await new Promise<string | undefined>((resolve, reject) => {
      httpRequest(`${api.url}/status`, (response) => {
        response.resume();
        resolve(response.headers['keep-alive'] as string | undefined);
      })
        .on('error', reject)
        .end();
    });
    expect(keepAlive).toBe('timeout=7');
  });

  it.each([
    ['/transcribe', 'problem+json', (body: Record<string, unknown>) => body['code']],
    ['/v1/audio/transcriptions', 'OpenAI', (body: Record<string, unknown>) => (body['error'] as Record<string, unknown>)['code']],
  ])('answers an upload to %s that stalls halfway with 408 REQUEST_TIMEOUT (%s), removes its temp folder, stays up', async (path, _shape, codeOf) => {
    const { head, firstHalf } = halfAnUpload(path, readFileSync(speech.wav));
    const client = await rawClient(port);
    client.socket.write(Buffer.concat([head, firstHalf]));
    await until(() => api.leftoverTempEntries().length > 0, 10_000, 'the upload to reach its temp folder');

    await until(() => client.closed(), 15_000, 'the server to answer and close');
    const raw = client.received();
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    expect(raw).toMatch(/\r\nconnection: close\r\n/i);
    expect(codeOf(bodyOf(raw))).toBe('REQUEST_TIMEOUT');
    await until(() => api.leftoverTempEntries().length === 0, 10_000, 'the temp folder to be removed');
    await until(() => openFilesUnder(api.child.pid ?? -1, api.tmpDir).length === 0, 10_000, 'the half-written upload to be closed');
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
  }, 60_000);

  it('cuts off a client that drips its body too slowly to ever finish (REQUEST_TIMEOUT_SECONDS), and cleans up', async () => {
    const { head, firstHalf, rest } = halfAnUpload('/transcribe', readFileSync(speech.wav));
    const client = await rawClient(port);
    client.socket.write(Buffer.concat([head, firstHalf]));
    // A byte every 200 ms: never idle long enough for the idle time-out, far too slow to finish.
    let sent = 0;
    const drip = setInterval(() => {
      if (client.closed() || sent >= rest.length) return;
      client.socket.write(rest.subarray(sent, sent + 1));
      sent += 1;
    }, 200);
    try {
      // Node checks the request deadline every 30 s, so it fires between 3 and ~33 s.
      await until(() => client.closed(), 50_000, 'Node to close the connection');
    } finally {
      clearInterval(drip);
    }
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(rest.length);
    await until(() => api.leftoverTempEntries().length === 0, 10_000, 'the temp folder to be removed');
    await until(() => openFilesUnder(api.child.pid ?? -1, api.tmpDir).length === 0, 10_000, 'the half-written upload to be closed');
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
  }, 70_000);

  it('never applies the idle time-out while the engine works: a silent client waiting longer than it gets its transcript', async () => {
    const minute = readFileSync(loopedRecording(1, 'mp3'));
    const { body, contentType } = multipartBody([{ name: 'file', value: minute, filename: 'minute.mp3', contentType: 'audio/mpeg' }]);
    const [worker] = api.childPids();
    expect(worker).toBeDefined();
    const started = Date.now();
    const pending = fetch(`${api.url}/transcribe`, { method: 'POST', body: asBody(body), headers: { 'content-type': contentType } });
    // Once the request is in the engine, hold the engine for three idle time-outs (1 s each) while the client sends nothing.
    const deadline = Date.now() + 30_000;
    while (!/^transcription_in_flight [1-9]/m.test(await (await fetch(`${api.url}/metrics`)).text())) {
      if (Date.now() > deadline) throw new Error('the request did not reach the engine within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    process.kill(worker as number, 'SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    process.kill(worker as number, 'SIGCONT');
    const response = await pending;
    expect(response.status).toBe(200);
    expect(typeof ((await response.json()) as { text: unknown }).text).toBe('string');
    expect(Date.now() - started).toBeGreaterThan(3000);
  }, 120_000);
});
