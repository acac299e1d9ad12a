import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import { AudioNormalizer } from '../audio/audio-normalizer';
import { DecodeGate } from '../audio/decode-gate';
import { locateFfmpeg } from '../audio/ffmpeg-locator';
import { DomainError } from '../common/domain-error';
import { loadConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { modelRegistryFor } from '../engines/served-models';
import { DispatchStage } from './dispatch.stage';
import { EngineDispatcher } from './engine-dispatcher';
import { PrepareStage } from './prepare.stage';
import { diarizeStageFor } from './testing/diarize-stage';
import { type EngineScript, ScriptedEngine, secondBySecond, untilAborted } from './testing/scripted-engine';
import type { TranscribeOptions } from './transcribe-options';
import { parseNativeOptions } from './transcribe-options.parser';
import { TranscriptionPipeline } from './transcription-pipeline';
import { VadStage } from './vad.stage';
import { SpeechDetection } from '../vad/speech-detection';

beforeAll(() => Logger.overrideLogger(false));

/** The sync pipeline on the real decoder (real ffmpeg) with a scripted engine: the stages, their order and their errors. */
describe('TranscriptionPipeline', () => {
  const normalizer = new AudioNormalizer(locateFfmpeg().path, new DecodeGate({ concurrency: 1, queueSize: 4, tempBudgetBytes: 1024 ** 3 }));
  let fixture: AudioFixture;
  let dir: string;
  let engine: ScriptedEngine;
  let metrics: MetricsService;
  let dispatcher: EngineDispatcher;

  beforeAll(() => {
    fixture = speechFixture('The pipeline decodes once and asks the engine once.');
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pipeline-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function pipeline(script: EngineScript, env: Record<string, string> = {}, queueSize = 4): TranscriptionPipeline {
    const config = loadConfig({ MAX_AUDIO_SECONDS: '60', ...env });
    engine = new ScriptedEngine(script);
    metrics = new MetricsService();
    dispatcher = new EngineDispatcher(1, queueSize);
    const prepare = new PrepareStage(normalizer);
    const diarize = diarizeStageFor(engine, config, prepare).stage;
    const dispatch = new DispatchStage(engine, dispatcher, config, metrics, modelRegistryFor(config.engine, engine.describe().model));
    // No detector: these cases are the whole-audio path (VAD off); vad.stage.spec.ts covers the VAD path.
    return new TranscriptionPipeline(prepare, dispatch, diarize, new VadStage(dispatch, SpeechDetection.of(undefined)), engine, config, metrics);
  }

  const call = (options: TranscribeOptions, signal = new AbortController().signal) => ({
    input: { path: fixture.mp3, format: 'mp3' as const },
    decodedPath: join(dir, 'audio.f32'),
    options,
    signal,
  });

  async function outcomes(): Promise<Record<string, number>> {
    const { values } = await metrics.transcriptions.get();
    return Object.fromEntries(values.map((value) => [String(value.labels['outcome']), value.value]));
  }

  it('decodes the upload once to 16 kHz mono, hands the engine the options as they are, and tidies its answer', async () => {
    const options = parseNativeOptions({ language: 'en', prompt: 'Pipeline', timestamp_granularities: 'word', response_format: 'verbose_json' });
    const run = pipeline(async ({ audio }) => {
      // The engine's raw answer: out of order, past the end, with words.
      const raw = secondBySecond(audio.durationSeconds + 2);
      return { ...raw, segments: [...raw.segments].reverse() };
    });

    const result = await run.transcribe(call(options));

    expect(engine.calls).toHaveLength(1);
    const [request] = engine.calls;
    expect(request?.options).toBe(options);
    expect(request?.audio.sampleRate).toBe(16000);
    expect(request?.audio.path).toBe(join(dir, 'audio.f32'));
    expect(statSync(join(dir, 'audio.f32')).size).toBe(Math.round((request?.audio.durationSeconds ?? 0) * 16000) * 4);
    expect(Math.abs((request?.audio.durationSeconds ?? 0) - fixture.durationSeconds)).toBeLessThan(0.1);

    const duration = request?.audio.durationSeconds ?? 0;
    expect(result.duration).toBe(duration);
    expect(result.segments.map((segment) => segment.id)).toEqual(result.segments.map((_, i) => i));
    expect(result.segments.map((segment) => segment.start)).toEqual([...result.segments.map((segment) => segment.start)].sort((a, b) => a - b));
    expect(result.segments.every((segment) => segment.end <= duration)).toBe(true);
    expect(result.text).toBe(result.segments.map((segment) => segment.text).join('').trim());
    expect(result.words?.length).toBe(result.segments.length);
    expect(result.warnings).toBeUndefined();
    expect(await outcomes()).toEqual({ ok: 1 });
    expect((await metrics.audioSeconds.get()).values[0]?.value).toBeCloseTo(duration, 5);
  });

  it('runs the model the request names (whisper-1: the default) and refuses an unknown one before decoding', async () => {
    const run = pipeline(async ({ audio }) => secondBySecond(audio.durationSeconds), {
      WHISPER_MODEL: 'large-v3-turbo',
      WHISPER_MODELS: 'tiny.en,medium',
      WHISPER_TRANSLATION_MODEL: 'medium',
    });
    await run.transcribe(call(parseNativeOptions({ model: 'tiny.en' })));
    await run.transcribe(call(parseNativeOptions({ model: 'whisper-1' })));
    await run.transcribe(call(parseNativeOptions({ task: 'translate' })));
    expect(engine.calls.map((request) => request.model)).toEqual(['tiny.en', 'large-v3-turbo', 'medium']);

    const decoded = join(dir, 'unknown-model.f32');
    const refusal = await run.transcribe({ ...call(parseNativeOptions({ model: 'whisper-9' })), decodedPath: decoded }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'INVALID_OPTION', details: { param: 'model', valid: ['whisper-1', 'large-v3-turbo', 'tiny.en', 'medium'] } });
    expect(existsSync(decoded)).toBe(false);
    expect(engine.calls).toHaveLength(3);
  });

  it('drops the words when none were asked for', async () => {
    const run = pipeline(async ({ audio }) => secondBySecond(audio.durationSeconds));
    const result = await run.transcribe(call(parseNativeOptions({})));
    expect(result.segments.length).toBeGreaterThan(0);
    expect(result.words).toBeUndefined();
    expect(result.segments.some((segment) => segment.words)).toBe(false);
  });

  it('refuses audio over the sync limit before the engine, pointing to async jobs', async () => {
    const run = pipeline(async () => secondBySecond(1), { MAX_AUDIO_SECONDS: '1', MAX_JOB_AUDIO_SECONDS: '3600' });
    const refusal = await run.transcribe(call(parseNativeOptions({}))).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'AUDIO_TOO_LONG', details: { async_limit_seconds: 3600, jobs_url: '/api/v1/jobs' } });
    expect((refusal as DomainError).message).toMatch(/POST \/transcribe with async=true/);
    expect(engine.calls).toHaveLength(0);
    expect(await outcomes()).toEqual({ AUDIO_TOO_LONG: 1 });
  });

  it('stops the engine at its deadline (base + per audio second) with ENGINE_TIMEOUT', async () => {
    const run = pipeline(untilAborted, { ENGINE_TIMEOUT_BASE_SECONDS: '1', ENGINE_TIMEOUT_PER_AUDIO_SECOND: '0.01' });
    await expect(run.transcribe(call(parseNativeOptions({})))).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT' });
    expect(engine.calls[0]?.signal.aborted).toBe(true);
    expect(dispatcher.runningCount).toBe(0);
    expect(await outcomes()).toEqual({ ENGINE_TIMEOUT: 1 });
  });

  it("stops the engine when the caller's signal aborts, with the caller's reason", async () => {
    const client = new AbortController();
    const run = pipeline((request) => {
      client.abort(new DomainError('CANCELLED', 'The client closed the connection.'));
      return untilAborted(request);
    });
    await expect(run.transcribe(call(parseNativeOptions({}), client.signal))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(dispatcher.runningCount).toBe(0);
  });

  it('refuses with ENGINE_BUSY when every engine slot is taken and the queue is full', async () => {
    const run = pipeline(untilAborted, {}, 0);
    const first = new AbortController();
    const running = run.transcribe(call(parseNativeOptions({}), first.signal)).catch((error: unknown) => error);
    await waitFor(() => engine.calls.length === 1);
    const second = call(parseNativeOptions({}));
    await expect(run.transcribe({ ...second, decodedPath: join(dir, 'second.f32') })).rejects.toMatchObject({ code: 'ENGINE_BUSY' });
    first.abort(new DomainError('CANCELLED'));
    await running;
    expect(engine.calls).toHaveLength(1);
    expect(await outcomes()).toEqual({ ENGINE_BUSY: 1, CANCELLED: 1 });
  });

  it('counts an engine failure under its code and passes it on unchanged', async () => {
    const failure = new DomainError('ENGINE_FAILED', 'The worker crashed.');
    const run = pipeline(async () => Promise.reject(failure));
    await expect(run.transcribe(call(parseNativeOptions({})))).rejects.toBe(failure);
    expect(await outcomes()).toEqual({ ENGINE_FAILED: 1 });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
