import path from 'node:path';

import { DomainError } from '../../common/domain-error';
import type { TranscribeOp } from './worker-protocol';
import type { EngineLogger } from './engine-logger';
import { WorkerSupervisor } from './worker-supervisor';

const FAKE = path.join(__dirname, 'testing/fake-whisper-worker.js');

function job(pcm: string): Omit<TranscribeOp, 'id'> {
  return {
    op: 'transcribe', pcm, language: 'en', translate: false, prompt: '', temperature: 0,
    temperature_inc: 0, beam_size: 0, word_timestamps: false, threads: 1,
  };
}

function recordingLogger(): EngineLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
}

function abortAfter(ms: number): AbortController {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new DomainError('CANCELLED', 'client went away')), ms);
  return controller;
}

describe('WorkerSupervisor (against a fake worker)', () => {
  const supervisors: WorkerSupervisor[] = [];
  const make = (mode = 'normal', parallel = 1) => {
    const logger = recordingLogger();
    const s = new WorkerSupervisor({
      binary: process.execPath,
      args: [FAKE, '--model', '/models/x.bin', '--threads', '2', '--parallel', String(parallel)],
      parallel,
      env: { ...process.env, FAKE_WORKER_MODE: mode },
      cancelGraceMs: 300,
      initialBackoffMs: 20,
      maxBackoffMs: 100,
      logger,
    });
    supervisors.push(s);
    return { s, logger };
  };
  afterEach(async () => {
    await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  });

  it('starts the worker, waits for ready and routes result and progress events by id', async () => {
    const { s, logger } = make();
    const ready = await s.start();
    expect(ready).toMatchObject({ event: 'ready', model: '/models/x.bin', threads: 2, parallel: 1 });
    expect(s.state).toBe('ready');
    const progress: number[] = [];
    const result = await s.run(job('/tmp/a.f32'), { onProgress: (f) => progress.push(f) });
    expect(result.event).toBe('result');
    expect(JSON.parse(result.segments[0].text)).toMatchObject({ op: 'transcribe', pcm: '/tmp/a.f32' });
    expect(progress).toEqual([0.5]);
    expect(logger.lines.some((l) => l.includes('unexpected line'))).toBe(true);
    expect(s.stderr).toContain('fake worker: loading model');
  });

  it('queues calls beyond --parallel instead of overrunning the worker', async () => {
    const { s } = make('normal', 2);
    await s.start();
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => s.run(job(`/tmp/${i}.f32`))));
    expect(results.map((r) => JSON.parse(r.segments[0].text).pcm)).toEqual(['/tmp/1.f32', '/tmp/2.f32', '/tmp/3.f32', '/tmp/4.f32', '/tmp/5.f32']);
  });

  it('passes worker error codes through as DomainErrors', async () => {
    const { s } = make();
    await s.start();
    await expect(s.run({ ...job('/tmp/a.f32'), language: 'xx' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('rejects with the abort reason at once, cancels in the worker, and the next call succeeds', async () => {
    const { s } = make();
    await s.start();
    const started = Date.now();
    const controller = abortAfter(100);
    const error = await s.run(job('/tmp/slow.f32'), { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBe(controller.signal.reason);
    expect(Date.now() - started).toBeLessThan(1000);
    const next = await s.run(job('/tmp/b.f32'));
    expect(next.event).toBe('result');
    expect(s.restarts).toBe(0);
  });

  it('rejects an already-aborted call without sending it', async () => {
    const { s } = make();
    await s.start();
    const controller = new AbortController();
    controller.abort(new DomainError('ENGINE_TIMEOUT'));
    await expect(s.run(job('/tmp/a.f32'), { signal: controller.signal })).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT' });
  });

  it('lets a call waiting for a slot be aborted without taking the slot', async () => {
    const { s } = make();
    await s.start();
    const slow = new AbortController();
    const first = s.run(job('/tmp/slow.f32'), { signal: slow.signal });
    const waiting = abortAfter(50);
    await expect(s.run(job('/tmp/q.f32'), { signal: waiting.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    slow.abort(new DomainError('CANCELLED'));
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(s.run(job('/tmp/c.f32'))).resolves.toMatchObject({ event: 'result' });
  });

  it('kills a worker that ignores a cancel past the grace period and restarts it', async () => {
    const { s, logger } = make('ignore-cancel');
    await s.start();
    const firstPid = s.pid;
    const controller = abortAfter(50);
    await expect(s.run(job('/tmp/slow.f32'), { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    // The next call waits for the killed worker's slot, then for the restarted worker.
    await expect(s.run(job('/tmp/d.f32'))).resolves.toMatchObject({ event: 'result' });
    expect(s.pid).not.toBe(firstPid);
    expect(s.restarts).toBe(1);
    expect(logger.lines.some((l) => l.includes('ignored cancel'))).toBe(true);
  });

  it('fails in-flight calls with ENGINE_FAILED when the worker dies, then restarts it', async () => {
    const { s } = make('normal', 2);
    await s.start();
    const crashing = s.run(job('/tmp/crash.f32'));
    const bystander = s.run(job('/tmp/slow.f32'));
    await expect(crashing).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
    await expect(bystander).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
    await expect(s.run(job('/tmp/e.f32'))).resolves.toMatchObject({ event: 'result' });
    expect(s.restarts).toBe(1);
    expect(s.lastError).toMatch(/exit code 3/);
  });

  it('does not restart a worker that reported a fatal model error', async () => {
    const { s } = make('fatal');
    await expect(s.start()).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', message: 'cannot load /models/x.bin' });
    expect(s.state).toBe('failed');
    await expect(s.run(job('/tmp/a.f32'))).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    expect(s.restarts).toBe(0);
  });

  it('gives up after repeated deaths before ready', async () => {
    const { s } = make('die-at-start');
    await expect(s.start()).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
    expect(s.state).toBe('failed');
    expect(s.restarts).toBe(2);
  });

  it('reports a binary that cannot be spawned', async () => {
    const s = new WorkerSupervisor({ binary: '/nonexistent/whisper-worker', args: [], parallel: 1, initialBackoffMs: 1, logger: recordingLogger() });
    supervisors.push(s);
    await expect(s.start()).rejects.toMatchObject({ code: 'ENGINE_FAILED', message: expect.stringContaining('ENOENT') });
  });

  it('shuts the worker down on stop and refuses later calls', async () => {
    const { s } = make();
    await s.start();
    await s.stop();
    expect(s.state).toBe('stopped');
    await expect(s.run(job('/tmp/a.f32'))).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
  });
});
