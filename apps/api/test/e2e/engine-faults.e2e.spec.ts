import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type AudioFixture, longSpeechFixture, speechFixture } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { asBody, filePart, multipartBody } from './support/multipart';

/**
 * Real faults in the real engine process: a hung worker (SIGSTOP), a crashed worker (SIGKILL),
 * a client that hangs up, and a full queue. Each ends in a clear, timely error and the next request works.
 */
describe('engine faults (built API, real whisper worker)', () => {
  let api: ApiProcess;
  let speech: AudioFixture;
  let long: Pick<AudioFixture, 'wav'>;

  const transcribe = (fixture: Pick<AudioFixture, 'wav'> = speech, init: RequestInit = {}) => {
    const { body, contentType } = multipartBody([filePart(fixture.wav, 'clip.wav', 'audio/wav')]);
    return fetch(`${api.url}/transcribe`, { method: 'POST', body: asBody(body), headers: { 'content-type': contentType }, ...init });
  };
  const worker = () => {
    const pids = api.childPids();
    expect(pids).toHaveLength(1);
    return pids[0]!;
  };
  const waitForNewWorker = async (old: number) => {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const pids = api.childPids();
      if (pids.length === 1 && pids[0] !== old && (await fetch(`${api.url}/health`)).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the engine did not restart its worker');
  };

  /** Sends a multipart request's headers only (declaring `bytes` of body) and resolves with what the server answers. */
  const headersOnlyUpload = (path: string, bytes: number) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(api.url).port), '127.0.0.1', () =>
        socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${bytes}\r\n\r\n`),
      );
      let answer = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        answer += chunk;
        if (answer.includes('}')) socket.destroy();
      });
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
      setTimeout(() => socket.destroy(), 10_000);
    });

  beforeAll(async () => {
    speech = speechFixture('A short clip for the fault tests.');
    // Ten minutes of speech: long enough that the engine is surely still busy when the client hangs up.
    const source = longSpeechFixture();
    long = { wav: join(mkdtempSync(join(tmpdir(), 'faults-')), 'ten-minutes.wav') };
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-stream_loop', String(Math.ceil(600 / source.durationSeconds) - 1), '-i', source.wav, '-c', 'copy', long.wav]);
    api = await startApi({ ENGINE_TIMEOUT_BASE_SECONDS: '10', ENGINE_TIMEOUT_PER_AUDIO_SECOND: '1', ENGINE_QUEUE_SIZE: '1' });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    if (long) rmSync(dirname(long.wav), { recursive: true, force: true });
  });

  it('a hung engine ends in a timely 504 ENGINE_TIMEOUT, and the next request succeeds', async () => {
    const hung = worker();
    process.kill(hung, 'SIGSTOP');
    const started = Date.now();
    const response = await transcribe();
    const elapsed = (Date.now() - started) / 1000;
    expect(response.status).toBe(504);
    expect((await response.json()).code).toBe('ENGINE_TIMEOUT');
    const deadline = 10 + speech.durationSeconds;
    expect(elapsed).toBeGreaterThan(deadline - 0.5);
    // Upload and decode come before the deadline starts; a loaded CI machine stretches them.
    expect(elapsed).toBeLessThan(deadline + 8);
    await waitForNewWorker(hung);
    expect((await transcribe()).status).toBe(200);
  }, 60_000);

  it('a crash mid-request ends in 502 ENGINE_FAILED, and the next request succeeds', async () => {
    const doomed = worker();
    process.kill(doomed, 'SIGSTOP'); // hold the request inside the worker…
    const pending = transcribe();
    await untilInEngine();
    process.kill(doomed, 'SIGKILL'); // …then crash it
    const response = await pending;
    expect(response.status).toBe(502);
    expect((await response.json()).code).toBe('ENGINE_FAILED');
    await waitForNewWorker(doomed);
    expect((await transcribe()).status).toBe(200);
  }, 60_000);

  it('a full queue answers 503 ENGINE_BUSY with Retry-After at once', async () => {
    const blocked = worker();
    process.kill(blocked, 'SIGSTOP');
    const running = transcribe();
    await untilInEngine();
    const queued = transcribe();
    await untilMetric(/^transcription_queue_depth [1-9]/m);
    const started = Date.now();
    const refused = await transcribe();
    // Refused without waiting for the engine (upload and decode still take their time on a loaded machine).
    expect(Date.now() - started).toBeLessThan(5000);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await refused.json()).code).toBe('ENGINE_BUSY');
    // On /v1 (always synchronous) the refusal comes before the upload is read: only the headers of a 50 MB upload are sent.
    const early = await headersOnlyUpload('/v1/audio/transcriptions', 50 * 1024 * 1024);
    expect(early).toMatch(/^HTTP\/1\.1 503 /);
    expect(early).toMatch(/\r\nRetry-After: [1-9]/i);
    expect(early).toMatch(/"code":"ENGINE_BUSY"/);
    process.kill(blocked, 'SIGKILL');
    expect((await running).status).toBe(502);
    await waitForNewWorker(blocked);
    expect((await queued).status).toBe(200);
  }, 60_000);

  it('a client that disconnects cancels its engine work', async () => {
    const before = await cancelledCount();
    const controller = new AbortController();
    const abandoned = transcribe(long, { signal: controller.signal }).catch((error: unknown) => error);
    // Hang up once the work has reached the engine (not during the upload or the decode).
    await untilInEngine();
    controller.abort();
    expect(((await abandoned) as Error).name).toBe('AbortError');
    const deadline = Date.now() + 10_000;
    while ((await cancelledCount()) === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await cancelledCount()).toBe(before + 1);
    // The engine is free again at once: a short request does not wait for the abandoned long one.
    const started = Date.now();
    expect((await transcribe()).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);

  /** Waits until a request is inside the engine (past upload and decode), as the in-flight gauge shows. */
  function untilInEngine(): Promise<void> {
    return untilMetric(/^transcription_in_flight [1-9]/m);
  }

  async function untilMetric(pattern: RegExp): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const metrics = await (await fetch(`${api.url}/metrics`)).text();
      if (pattern.test(metrics)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no ${pattern} within 30 s`);
  }

  async function cancelledCount(): Promise<number> {
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    return Number(/transcriptions_total\{engine="local",outcome="CANCELLED"\} (\d+)/.exec(metrics)?.[1] ?? 0);
  }
});
