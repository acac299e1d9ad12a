import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { TranscriptionOptions } from '@speech/contracts';
import { cachedWhisperModel, longSpeechFixture, SHORT_SENTENCE, speechFixture, type AudioFixture } from '@speech/test-support';

import { DomainError } from '../../src/common/domain-error';
import type { EngineRequest, NormalizedAudio } from '../../src/engines/transcription-engine.port';
import type { LocalEngineConfig } from '../../src/engines/local/local-engine.config';
import { LocalWhisperEngine } from '../../src/engines/local/local-whisper.engine';
import { ensureNativeBuild, type NativeBuild } from '../../src/engines/local/native-build';
import type { EngineLogger } from '../../src/engines/local/engine-logger';

/**
 * The local engine on real parts: the compiled whisper-worker (scripts/build-whisper.mjs), a generated
 * random-weight model of the real architecture, and speech synthesised by espeak-ng. A random model
 * transcribes garbage, so these tests assert on structure, timing and failure handling, not on words.
 */
jest.setTimeout(60_000);

const quiet: EngineLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const options: TranscriptionOptions = { task: 'transcribe', language: 'en', temperature: 0, wordTimestamps: true };

describe('LocalWhisperEngine with the native worker', () => {
  let dir: string;
  let build: NativeBuild;
  let model: string;
  let short: AudioFixture;
  /** About 12 minutes: twenty-five whisper windows, many seconds of work even for the random-weight tiny model. */
  let long: NormalizedAudio;
  const engines: LocalWhisperEngine[] = [];

  const engine = async (over: Partial<LocalEngineConfig> = {}) => {
    const e = new LocalWhisperEngine(
      {
        model, modelsDir: path.join(dir, 'models'), threads: 2, concurrency: 1, build: 'native', useGpu: false,
        autoDownload: false, downloadBaseUrl: 'http://127.0.0.1:9', workerBinary: build.binaries['whisper-worker'], ...over,
      },
      { logger: quiet },
    );
    engines.push(e);
    await e.start();
    return e;
  };
  const audioOf = (f: AudioFixture): NormalizedAudio => ({ path: f.pcm, durationSeconds: f.durationSeconds, sampleRate: 16000 });
  const request = (audio: NormalizedAudio, signal = new AbortController().signal, extra: Partial<EngineRequest> = {}): EngineRequest => ({
    audio, options, signal, ...extra,
  });

  beforeAll(async () => {
    build = await ensureNativeBuild('native', quiet); // compiled by the global setup; cached here
    model = await cachedWhisperModel('tiny-test');
    short = speechFixture(SHORT_SENTENCE);
    dir = mkdtempSync(path.join(tmpdir(), 'local-medium-'));
    const passage = longSpeechFixture();
    const longPcm = path.join(dir, 'long.f32');
    writeFileSync(longPcm, Buffer.concat(Array.from({ length: 25 }, () => readFileSync(passage.pcm))));
    long = { path: longPcm, durationSeconds: passage.durationSeconds * 25, sampleRate: 16000 };
  }, 15 * 60_000);

  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('transcribes speech into ordered segments and words inside the audio', async () => {
    const e = await engine();
    const progress: number[] = [];
    const result = await e.transcribe(request(audioOf(short), undefined, { onProgress: (f) => progress.push(f) }));
    expect(result.language).toBe('en');
    expect(result.duration).toBe(short.durationSeconds);
    expect(result.segments.length).toBeGreaterThan(0);
    result.segments.forEach((s, i) => {
      expect(s.id).toBe(i);
      expect(s.start).toBeGreaterThanOrEqual(i === 0 ? 0 : result.segments[i - 1].start);
      expect(s.end).toBeGreaterThanOrEqual(s.start);
      expect(s.end).toBeLessThanOrEqual(short.durationSeconds);
      expect(s.avg_logprob).toBeLessThanOrEqual(0);
      expect(s.no_speech_prob).toBeGreaterThanOrEqual(0);
    });
    for (const w of result.words ?? []) {
      expect(w.word.trim()).toBe(w.word);
      expect(w.end).toBeLessThanOrEqual(short.durationSeconds);
      expect(w.probability).toBeGreaterThan(0);
      expect(w.probability).toBeLessThanOrEqual(1);
    }
    expect(result.text).toBe(result.segments.map((s) => s.text).join('').trim());
    expect(progress.at(-1)).toBe(1);
  });

  it('runs two requests at once on one loaded model when concurrency is 2', async () => {
    const e = await engine({ concurrency: 2 });
    const results = await Promise.all([e.transcribe(request(audioOf(short))), e.transcribe(request(audioOf(short)))]);
    // Same audio, same greedy decoding, separate whisper states: identical output.
    expect(results[0].segments).toEqual(results[1].segments);
    expect((await e.health()).detail).toMatchObject({ concurrency: 2, threadsPerJob: 1 });
  });

  it('stops a cancelled request within about a second, and the next request succeeds', async () => {
    const e = await engine();
    const controller = new AbortController();
    // Cancel once the worker reports progress (it is decoding), not after a fixed time: a random-weight model can
    // finish a short file before a fixed delay on a fast machine, and a loaded one can delay the timer.
    let decoding!: () => void;
    const started = new Promise<void>((resolve) => (decoding = resolve));
    const running = e.transcribe(request(long, controller.signal, { onProgress: (f) => f > 0 && decoding() }));
    await started;
    const abortedAt = Date.now();
    controller.abort(new DomainError('CANCELLED', 'client disconnected'));
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED', message: 'client disconnected' });
    // With concurrency 1 the next call waits until the worker has really let go of the cancelled job.
    await e.transcribe(request(audioOf(short)));
    const sinceAbort = Date.now() - abortedAt;
    const shortStarted = Date.now();
    await e.transcribe(request(audioOf(short)));
    const oneShort = Date.now() - shortStarted;
    // What the cancel itself cost: about a second at most (the bound leaves room for a busy CI machine).
    expect(sinceAbort - oneShort).toBeLessThan(1500);
    const health = await e.health();
    expect(health.detail['restarts']).toBe(0); // the worker honoured the cancel; it was not killed
    expect(health.ready).toBe(true);
  });

  it('fails the running request with ENGINE_FAILED when the worker is killed, then recovers', async () => {
    const e = await engine();
    const pid = (await e.health()).detail['workerPid'] as number;
    const running = e.transcribe(request(long));
    await new Promise((r) => setTimeout(r, 500));
    process.kill(pid, 'SIGKILL');
    await expect(running).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
    const next = await e.transcribe(request(audioOf(short)));
    expect(next.segments.length).toBeGreaterThan(0);
    const health = await e.health();
    expect(health.detail['restarts']).toBe(1);
    expect(health.detail['workerPid']).not.toBe(pid);
  });

  it('answers UNDECODABLE_AUDIO for a PCM file that is not whole float32 samples', async () => {
    const e = await engine();
    const bad = path.join(dir, 'bad.f32');
    writeFileSync(bad, Buffer.from([1, 2, 3]));
    await expect(e.transcribe(request({ path: bad, durationSeconds: 0, sampleRate: 16000 }))).rejects.toMatchObject({
      code: 'UNDECODABLE_AUDIO',
    });
  });

  it('answers INVALID_OPTION for a language whisper does not know', async () => {
    const e = await engine();
    const req = { ...request(audioOf(short)), options: { ...options, language: 'xx' } };
    await expect(e.transcribe(req)).rejects.toMatchObject({ code: 'INVALID_OPTION', message: "unknown language 'xx'" });
  });

  it('reports a model that is not downloaded with the command that fetches it', async () => {
    const e = await engine({ model: 'base.en' });
    expect((await e.health()).ready).toBe(false);
    await expect(e.transcribe(request(audioOf(short)))).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining('npm run model:download -- base.en'),
    });
  });

  it('reports a truncated model file, which the worker cannot load, as MODEL_UNAVAILABLE', async () => {
    const truncated = path.join(dir, 'truncated.bin');
    writeFileSync(truncated, readFileSync(model).subarray(0, 2_000_000));
    const e = await engine({ model: truncated });
    const health = await e.health();
    expect(health.ready).toBe(false);
    await expect(e.transcribe(request(audioOf(short)))).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
  });
});
