import { existsSync, readFileSync } from 'node:fs';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { asBody, filePart, multipartBody } from './support/multipart';
import { connectionRefused, RawConnection } from './support/raw-http';

/**
 * SIGTERM as ECS sends it, to the built API as a real process: the drain, the grace period for in-flight
 * synchronous work, the exit code and the whisper worker's end. (Jobs handed back on SIGTERM and finished by the
 * next process: jobs-durability.e2e.spec.ts.)
 */
describe('graceful shutdown (built API, real whisper worker, SIGTERM)', () => {
  let speech: AudioFixture;
  const apis: ApiProcess[] = [];

  const start = async (env: Record<string, string>) => {
    const api = await startApi(env);
    apis.push(api);
    return api;
  };
  const portOf = (api: ApiProcess) => Number(new URL(api.url).port);
  const workerOf = (api: ApiProcess) => {
    const pids = api.childPids().filter((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'whisper-worker');
    expect(pids).toHaveLength(1);
    return pids[0] as number;
  };
  const exited = (api: ApiProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      if (api.child.exitCode !== null || api.child.signalCode !== null) resolve({ code: api.child.exitCode, signal: api.child.signalCode });
      else api.child.once('exit', (code, signal) => resolve({ code, signal }));
    });
  const uploadBody = () => multipartBody([filePart(speech.wav, 'clip.wav', 'audio/wav')]);
  const logLines = (api: ApiProcess, msg: string) => api.output.filter((line) => line.includes(`"msg":"${msg}"`));

  beforeAll(() => {
    speech = speechFixture('Finish what you started before you go.');
  });

  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
  });

  it('finishes the in-flight request, refuses new work, answers 503 SHUTTING_DOWN on kept-alive connections and exits 0', async () => {
    const api = await start({ SHUTDOWN_GRACE_SECONDS: '60' });
    const port = portOf(api);
    const worker = workerOf(api);

    // An idle keep-alive connection: the drain closes it.
    const idle = await RawConnection.open(port);
    idle.send('GET', '/health/live');
    expect((await idle.read()).status).toBe(200);

    // A sync transcription held inside the engine (the worker is stopped) on a connection of its own.
    process.kill(worker, 'SIGSTOP');
    const busy = await RawConnection.open(port);
    const { body, contentType } = uploadBody();
    busy.send('POST', '/transcribe', { 'Content-Type': contentType }, body);
    await untilMetric(api, /^transcription_in_flight [1-9]/m);

    const signalledAt = Date.now();
    api.child.kill('SIGTERM');
    await until(() => connectionRefused(port), 'the listening socket was not closed');
    await idle.whenClosed();
    // A request that arrives on the open connection behind the in-flight one (pipelined, so it surely uses it).
    busy.send('GET', '/health');
    // A second signal, and Ctrl-C, change nothing: the clean-up still runs to the end.
    api.child.kill('SIGTERM');
    api.child.kill('SIGINT');
    process.kill(worker, 'SIGCONT');

    const finished = await busy.read();
    expect(finished.status).toBe(200);
    expect(JSON.parse(finished.body)).toMatchObject({ text: expect.any(String) });
    const refused = await busy.read();
    expect(refused.status).toBe(503);
    expect(refused.headers['connection']).toBe('close');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'SHUTTING_DOWN', status: 503 });
    await busy.whenClosed();

    expect(await exited(api)).toEqual({ code: 0, signal: null });
    expect((Date.now() - signalledAt) / 1000).toBeLessThan(60);
    expect(existsSync(`/proc/${worker}`)).toBe(false);
    expect(api.childPids()).toEqual([]);
    expect(logLines(api, 'draining')).toHaveLength(1);
    expect(logLines(api, 'already shutting down; the clean-up continues').length).toBeGreaterThanOrEqual(1);
    expect(logLines(api, 'shutdown complete')).toHaveLength(1);
    expect(api.leftoverTempEntries()).toEqual([]);
  }, 120_000);

  it('GET /health answers 503 SHUTTING_DOWN while draining; /health/live stays 200 (liveness must not kill a draining process)', async () => {
    const api = await start({ SHUTDOWN_GRACE_SECONDS: '60' });
    const port = portOf(api);
    const worker = workerOf(api);
    process.kill(worker, 'SIGSTOP');
    const busy = await RawConnection.open(port);
    const { body, contentType } = uploadBody();
    busy.send('POST', '/transcribe', { 'Content-Type': contentType }, body);
    await untilMetric(api, /^transcription_in_flight [1-9]/m);
    // A second connection, opened before the drain, with a request of its own in flight behind a stopped engine.
    const probe = await RawConnection.open(port);
    probe.send('POST', '/transcribe', { 'Content-Type': contentType }, body);
    await untilMetric(api, /^transcription_queue_depth [1-9]/m);

    api.child.kill('SIGTERM');
    await until(() => connectionRefused(port), 'the listening socket was not closed');
    probe.send('GET', '/health/live');
    probe.send('GET', '/health');
    process.kill(worker, 'SIGCONT');
    expect((await busy.read()).status).toBe(200);
    expect((await probe.read()).status).toBe(200);
    const live = await probe.read();
    expect(live.status).toBe(200);
    expect(JSON.parse(live.body)).toEqual({ status: 'ok', draining: true });
    const health = await probe.read();
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toMatchObject({ code: 'SHUTTING_DOWN' });
    expect(await exited(api)).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('when the grace period ends first (hung engine), aborts the request with 503 SHUTTING_DOWN and still exits 0 with no worker left', async () => {
    const grace = 3;
    const api = await start({ SHUTDOWN_GRACE_SECONDS: String(grace) });
    const worker = workerOf(api);
    process.kill(worker, 'SIGSTOP'); // never resumed: the engine is hung for good
    const { body, contentType } = uploadBody();
    const pending = fetch(`${api.url}/transcribe`, { method: 'POST', body: asBody(body), headers: { 'content-type': contentType } });
    await untilMetric(api, /^transcription_in_flight [1-9]/m);

    const signalledAt = Date.now();
    api.child.kill('SIGTERM');
    const response = await pending;
    const waited = (Date.now() - signalledAt) / 1000;
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await response.json()).toMatchObject({ code: 'SHUTTING_DOWN' });
    expect(waited).toBeGreaterThanOrEqual(grace - 0.5);

    expect(await exited(api)).toEqual({ code: 0, signal: null });
    expect(existsSync(`/proc/${worker}`)).toBe(false);
    expect(api.childPids()).toEqual([]);
    expect(logLines(api, 'grace period over; aborting requests still in flight')).toHaveLength(1);
    expect(logLines(api, 'shutdown complete')).toHaveLength(1);
    expect(api.leftoverTempEntries()).toEqual([]);
  }, 120_000);
});

async function untilMetric(api: ApiProcess, pattern: RegExp): Promise<void> {
  await until(async () => pattern.test(await (await fetch(`${api.url}/metrics`)).text()), `no ${pattern} within 30 s`);
}

async function until(condition: () => Promise<boolean> | boolean, failure: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
