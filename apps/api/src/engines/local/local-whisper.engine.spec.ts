import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { TranscriptionOptions } from '@speech/contracts';
import { generateWhisperModel, MODEL_PRESETS } from '@speech/test-support';

import type { EngineRequest } from '../transcription-engine.port';
import type { LocalEngineConfig } from './local-engine.config';
import { LocalWhisperEngine } from './local-whisper.engine';
import type { TranscribeOp } from './worker-protocol';
import type { EngineLogger } from './engine-logger';

const FAKE_WORKER = path.join(__dirname, 'testing/fake-whisper-worker.js');
const quiet: EngineLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('LocalWhisperEngine (with a fake worker)', () => {
  let dir: string;
  let modelFile: string;
  const engines: LocalWhisperEngine[] = [];

  const config = (over: Partial<LocalEngineConfig> = {}): LocalEngineConfig => ({
    model: modelFile,
    modelsDir: path.join(dir, 'models'),
    threads: 8,
    concurrency: 3,
    build: 'native',
    useGpu: false,
    autoDownload: false,
    downloadBaseUrl: 'http://127.0.0.1:9/',
    workerBinary: FAKE_WORKER,
    ...over,
  });
  const engine = (over: Partial<LocalEngineConfig> = {}) => {
    const e = new LocalWhisperEngine(config(over), { logger: quiet });
    engines.push(e);
    return e;
  };
  const request = (options: Partial<TranscriptionOptions> = {}, extra: Partial<EngineRequest> = {}): EngineRequest => ({
    audio: { path: '/tmp/audio.f32', durationSeconds: 1, sampleRate: 16000 },
    options: { task: 'transcribe', temperature: 0, wordTimestamps: false, ...options },
    signal: new AbortController().signal,
    ...extra,
  });
  /** The fake worker answers with the op it received as the segment text. */
  const sentOp = (text: string) => JSON.parse(text) as TranscribeOp;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'local-engine-'));
    modelFile = path.join(dir, 'model.bin');
    const dims = { ...MODEL_PRESETS['tiny-test'], n_audio_state: 16, n_text_state: 16, n_audio_layer: 1, n_text_layer: 1 };
    await generateWhisperModel({ dims, out: modelFile });
  });
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('describes itself with its model and concurrency', () => {
    expect(engine().describe()).toEqual({ engine: 'local', model: modelFile, concurrency: 3, diarizes: false });
  });

  it('starts the worker with the model, threads per job and parallelism', async () => {
    const e = engine();
    await e.start();
    const health = await e.health();
    expect(health.ready).toBe(true);
    expect(health.detail).toMatchObject({ modelPath: modelFile, threads: 8, threadsPerJob: 2, concurrency: 3, worker: 'ready', lastError: null });
    expect(health.detail['systemInfo']).toBe('FAKE');
  });

  it('fits the encoder to short audio without warmer retries, and decodes a looping fitted window again in full', async () => {
    const e = engine({ temperatureIncrement: 0.2 });
    await e.start();
    const fiveSeconds = { path: '/tmp/audio.f32', durationSeconds: 5, sampleRate: 16000 as const };
    const fitted = await e.transcribe(request({ fitEncoderToAudio: true }, { audio: fiveSeconds }));
    expect(sentOp(fitted.segments[0].text)).toMatchObject({ audio_ctx: 512, temperature_inc: 0, max_window_tokens: 76 });

    const looped = request({ fitEncoderToAudio: true }, { audio: { path: '/tmp/loop.f32', durationSeconds: 1.8, sampleRate: 16000 } });
    const redone = sentOp((await e.transcribe(looped)).segments[0].text);
    expect(redone.audio_ctx).toBeUndefined();
    expect(redone.temperature_inc).toBe(0.2);
  });

  it('sends the request options in the worker protocol', async () => {
    const e = engine();
    await e.start();
    const result = await e.transcribe(request({ language: 'de', prompt: 'Namen: Jürgen', temperature: 0 }));
    expect(sentOp(result.segments[0].text)).toEqual({
      op: 'transcribe', id: expect.any(String), pcm: '/tmp/audio.f32', language: 'de', translate: false,
      prompt: 'Namen: Jürgen', temperature: 0, temperature_inc: 0, beam_size: 0, word_timestamps: false, threads: 2,
    });
    expect(result.language).toBe('de');
  });

  it('decodes with the configured beam width (WHISPER_BEAM_SIZE); width 1 stays greedy', async () => {
    const beam = engine({ beamSize: 5 });
    await beam.start();
    expect(sentOp((await beam.transcribe(request())).segments[0].text)).toMatchObject({ beam_size: 5 });
    const greedy = engine({ beamSize: 1 });
    await greedy.start();
    expect(sentOp((await greedy.transcribe(request())).segments[0].text)).toMatchObject({ beam_size: 0 });
  });

  it('detects the language when none is given and translates on request', async () => {
    const e = engine();
    await e.start();
    const op = sentOp((await e.transcribe(request({ task: 'translate', temperature: 0.4 }))).segments[0].text);
    expect(op).toMatchObject({ language: 'auto', translate: true, temperature: 0.4, temperature_inc: 0 });
  });

  it("asks the worker for Whisper's temperature fallback at the configured step, from temperature 0 up", async () => {
    const e = engine({ temperatureIncrement: 0.2 });
    await e.start();
    expect(sentOp((await e.transcribe(request({ temperature: 0 }))).segments[0].text)).toMatchObject({ temperature: 0, temperature_inc: 0.2 });
    expect(sentOp((await e.transcribe(request({ temperature: 0.6 }))).segments[0].text)).toMatchObject({ temperature: 0.6, temperature_inc: 0.2 });
  });

  it('bounds a fitted decode by a token budget and takes a runaway for a loop: decoded again with the full window, unbounded', async () => {
    const e = engine();
    await e.start();
    const runaway = request({ fitEncoderToAudio: true }, { audio: { path: '/tmp/runaway.f32', durationSeconds: 1.9, sampleRate: 16000 } });
    const redone = sentOp((await e.transcribe(runaway)).segments[0].text);
    expect(redone.audio_ctx).toBeUndefined();
    expect(redone.max_window_tokens).toBeUndefined();
    const partial = request({ fitEncoderToAudio: true, fitEncoderLoopRetry: false }, { audio: { path: '/tmp/runaway.f32', durationSeconds: 1.9, sampleRate: 16000 } });
    expect((await e.transcribe(partial)).segments).toEqual([]);
    // The full window is never bounded: the budget is for loops that the full window answers.
    expect(sentOp((await e.transcribe(request({}, { audio: { path: '/tmp/runaway.f32', durationSeconds: 1.9, sampleRate: 16000 } }))).segments[0].text).max_window_tokens).toBeUndefined();
  });

  it('drops the text of a looping fitted window instead of decoding it again when the caller says so (partials)', async () => {
    const e = engine();
    await e.start();
    const looped = request({ fitEncoderToAudio: true, fitEncoderLoopRetry: false }, { audio: { path: '/tmp/loop.f32', durationSeconds: 1.8, sampleRate: 16000 } });
    const result = await e.transcribe(looped);
    expect(result.segments).toEqual([]);
    expect(result.text).toBe('');
  });

  it('a request that asks for one pass (temperatureFallback: false) gets no warmer retries, even in a full-window redo', async () => {
    const e = engine({ temperatureIncrement: 0.2 });
    await e.start();
    expect(sentOp((await e.transcribe(request({ temperature: 0, temperatureFallback: false }))).segments[0].text)).toMatchObject({ temperature_inc: 0 });
    const looped = request({ fitEncoderToAudio: true, temperatureFallback: false }, { audio: { path: '/tmp/loop.f32', durationSeconds: 1.8, sampleRate: 16000 } });
    const redone = sentOp((await e.transcribe(looped)).segments[0].text);
    expect(redone.audio_ctx).toBeUndefined();
    expect(redone.temperature_inc).toBe(0);
  });

  it('maps the result: seconds clamped to the duration, words from tokens, progress to 1', async () => {
    const e = engine();
    await e.start();
    const progress: number[] = [];
    const result = await e.transcribe(request({ wordTimestamps: true }, { onProgress: (f) => progress.push(f) }));
    expect(result.duration).toBe(1);
    expect(result.segments[0]).toMatchObject({ id: 0, start: 0, end: 1, avg_logprob: -0.3, no_speech_prob: 0.01 });
    expect(result.words).toEqual([{ word: 'faked', start: 0, end: 0.6, probability: 0.45 }]);
    expect(progress).toEqual([0.5, 1]);
  });

  it('passes worker errors through with their code', async () => {
    const e = engine();
    await e.start();
    await expect(e.transcribe(request({ language: 'xx' }))).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('runs the encoder benchmark in the worker', async () => {
    const e = engine();
    await e.start();
    await expect(e.benchEncode(2)).resolves.toBe(12.5);
  });

  it('reports a missing named model on health and on every call, naming the download command', async () => {
    const e = engine({ model: 'base.en' });
    await expect(e.start()).resolves.toBeUndefined();
    const health = await e.health();
    expect(health.ready).toBe(false);
    expect(health.detail['lastError']).toContain('npm run model:download -- base.en');
    await expect(e.transcribe(request())).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining('npm run model:download -- base.en'),
    });
  });

  it('runs each served model in its own worker, two models in flight at once, and refuses a model it does not serve', async () => {
    const second = path.join(dir, 'ggml-second.bin');
    copyFileSync(modelFile, second);
    const e = engine({ models: [modelFile, second] });
    await e.start();
    expect((await e.health()).detail['models']).toMatchObject({ model: { state: 'ready' }, second: { state: 'not loaded', pid: null } });

    const controller = new AbortController();
    const progressed = new Set<string>();
    const bothRunning = new Promise<void>((resolve) => {
      const seen = (id: string) => () => {
        progressed.add(id);
        if (progressed.size === 2) resolve();
      };
      for (const id of ['model', 'second']) {
        e.transcribe(request({}, { model: id, audio: { path: `/tmp/slow-${id}.f32`, durationSeconds: 1, sampleRate: 16000 }, signal: controller.signal, onProgress: seen(id) }))
          .catch(() => undefined);
      }
    });
    await bothRunning; // the fake worker reports progress only while a job runs: both jobs run now
    const models = (await e.health()).detail['models'] as Record<string, { state: string; pid: number }>;
    expect(models['model']?.state).toBe('ready');
    expect(models['second']?.state).toBe('ready');
    expect(models['model']?.pid).not.toBe(models['second']?.pid);
    controller.abort(new Error('done'));

    const result = await e.transcribe(request({}, { model: 'second' }));
    expect(sentOp(result.segments[0].text).op).toBe('transcribe');
    await expect(e.transcribe(request({}, { model: 'other' }))).rejects.toMatchObject({ code: 'INVALID_OPTION', details: { param: 'model' } });
  });

  it('unloads an idle model after the TTL (never the default) and reloads it on its next request', async () => {
    const second = path.join(dir, 'ggml-idle.bin');
    copyFileSync(modelFile, second);
    const e = engine({ models: [modelFile, second], idleUnloadSeconds: 60 });
    await e.start();
    await e.transcribe(request({}, { model: 'idle' }));
    const before = (await e.health()).detail['models'] as Record<string, { state: string; pid: number }>;
    expect(before['idle']?.state).toBe('ready');
    expect(await e.unloadIdle(Date.now() + 30_000)).toEqual([]);
    expect(await e.unloadIdle(Date.now() + 61_000)).toEqual(['idle']);
    const after = (await e.health()).detail['models'] as Record<string, { state: string; pid: number }>;
    expect(after['idle']?.state).toBe('unloaded');
    expect(after['model']?.state).toBe('ready');
    expect(() => process.kill(before['idle']?.pid as number, 0)).toThrow(); // the process is gone

    await e.transcribe(request({}, { model: 'idle' }));
    expect(((await e.health()).detail['models'] as Record<string, { state: string }>)['idle']?.state).toBe('ready');
  });

  it('keeps loaded weights within the memory budget by unloading the least recently used idle model', async () => {
    const files = ['a', 'b'].map((name) => path.join(dir, `ggml-${name}.bin`));
    for (const file of files) copyFileSync(modelFile, file);
    const bytes = statSync(modelFile).size;
    const e = engine({ models: [modelFile, ...files], memoryBudgetBytes: bytes * 2 });
    await e.start();
    await e.transcribe(request({}, { model: 'a' }));
    await e.transcribe(request({}, { model: 'b' })); // default + a + b would be 3 models: a (least recent idle) goes
    const models = (await e.health()).detail['models'] as Record<string, { state: string }>;
    expect([models['model']?.state, models['a']?.state, models['b']?.state]).toEqual(['ready', 'unloaded', 'ready']);
  });

  it('refuses calls before start and after stop', async () => {
    const e = engine();
    await expect(e.transcribe(request())).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
    await e.start();
    await e.stop();
    expect((await e.health()).detail['worker']).toBe('stopped');
    await expect(e.transcribe(request())).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
  });
});
