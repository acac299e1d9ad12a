/**
 * @jest-environment ./src/vad/testing/onnx-jest-environment.js
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';
import { type AudioFixture, parseRttm, speakerAssets, speechFixture } from '@speech/test-support';
import { readFileSync } from 'node:fs';
import { AudioNormalizer } from '../audio/audio-normalizer';
import { DecodeGate } from '../audio/decode-gate';
import { locateFfmpeg } from '../audio/ffmpeg-locator';
import { ANONYMOUS_OWNER } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { type AppConfig, loadConfig } from '../config/app-config';
import { FairYield } from '../fair-share/fair-yield';
import { SubmissionCaps } from '../fair-share/submission-caps';
import { SpeakerModel } from '../diarization/speaker-model';
import { MetricsService } from '../metrics/metrics.service';
import { modelRegistryFor } from '../engines/served-models';
import { DispatchStage } from '../pipeline/dispatch.stage';
import { EngineDispatcher } from '../pipeline/engine-dispatcher';
import { PrepareStage } from '../pipeline/prepare.stage';
import { diarizeStageFor } from '../pipeline/testing/diarize-stage';
import { VadStage } from '../pipeline/vad.stage';
import { SpeechDetection } from '../vad/speech-detection';
import { JOIN_GAP_SECONDS } from '../vad/vad-options';
import { EnergyDetector } from '../vad/testing/energy-detector';
import { type EngineScript, ScriptedEngine, secondBySecond, untilAborted } from '../pipeline/testing/scripted-engine';
import { LocalBlobStore } from '../storage/local/local-blob-store';
import { SqliteJobStore } from '../storage/sqlite/sqlite-job-store';
import { CallbackUrlPolicy } from './webhooks/callback-url-policy';
import { ClaimedJob } from './claimed-job';
import { JobEventBus } from './job-event-bus';
import { tryClaim } from './job-lease';
import { optionsOfJob } from './job-options';
import { jobBlobKeys } from './job-record';
import { parseJobRequest } from './job-request';
import { JobRunner } from './job-runner';
import { JobsService } from './jobs.service';

beforeAll(() => Logger.overrideLogger(false));

/**
 * JobRunner on a real SQLite store, a real blob directory and the real decoder, with a scripted engine: the job's
 * audio goes through the same stages as a sync request, window by window, and finished windows survive a retry.
 */
describe('JobRunner', () => {
  const normalizer = new AudioNormalizer(locateFfmpeg().path, new DecodeGate({ concurrency: 1, queueSize: 4, tempBudgetBytes: 1024 ** 3 }));
  let fixture: AudioFixture;
  let dir: string;
  let store: SqliteJobStore;
  let blobs: LocalBlobStore;
  let bus: JobEventBus;
  let config: AppConfig;
  let metrics: MetricsService;
  let jobs: JobsService;

  beforeAll(() => {
    fixture = speechFixture('Long jobs are cut into windows at quiet moments. Each window goes to the engine on its own, and the pieces are put back together.');
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'job-runner-'));
    // Windows of about three seconds (the smallest whose ±1 s cut searches do not overlap): the fixture makes several.
    config = loadConfig({ WINDOW_SECONDS: '3', WINDOW_RETRIES: '1', TMP_DIR: join(dir, 'tmp') });
    store = new SqliteJobStore(join(dir, 'jobs.sqlite'));
    blobs = new LocalBlobStore(join(dir, 'blobs'));
    await store.init();
    await blobs.init();
    bus = new JobEventBus();
    metrics = new MetricsService();
    jobs = new JobsService(store, blobs, bus, new CallbackUrlPolicy([], []), config, metrics, new SubmissionCaps(store, config), new SpeakerModel(config.diarization, () => Promise.reject(new Error('jobs never open the encoder'))));
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function runner(script: EngineScript, options: { diarizes?: boolean; detector?: EnergyDetector } = {}): { runner: JobRunner; engine: ScriptedEngine } {
    const engine = new ScriptedEngine(script, options.diarizes ?? false);
    const dispatch = new DispatchStage(engine, new EngineDispatcher(1, 0), config, metrics, modelRegistryFor(config.engine, engine.describe().model));
    const prepare = new PrepareStage(normalizer);
    const diarize = diarizeStageFor(engine, config, prepare).stage;
    // Without a detector: windows cut by energy, each sent whole (VAD-cut windows: the VAD case below).
    const vad = new VadStage(dispatch, SpeechDetection.of(options.detector));
    return { runner: new JobRunner(prepare, dispatch, diarize, vad, blobs, config, metrics, new FairYield(store, config)), engine };
  }

  /** A job created from form fields as POST /api/v1/jobs would, then claimed by this worker. */
  async function claimedJob(fields: Record<string, unknown>, audio = fixture.wav): Promise<ClaimedJob> {
    const { record } = await jobs.create({
      request: parseJobRequest(fields),
      upload: { path: audio, size: 1, filename: 'clip.wav' },
      idempotencyKey: null,
      ownerId: ANONYMOUS_OWNER,
    });
    return claim(record.id);
  }

  async function claim(id: string): Promise<ClaimedJob> {
    const current = await store.get(id);
    if (!current) throw new Error(`no job ${id}`);
    const claimed = current.status === 'running' ? current : await tryClaim(store, bus, current, 'worker', config.jobs);
    if (!claimed) throw new Error(`could not claim ${id}`);
    return new ClaimedJob(claimed, 'worker', store, bus, config.jobs.leaseSeconds * 1000);
  }

  async function windowOutcomes(): Promise<Record<string, number>> {
    const { values } = await metrics.jobWindows.get();
    return Object.fromEntries(values.map((value) => [String(value.labels['outcome']), value.value]));
  }

  const never = () => new AbortController().signal;
  /** One segment per second of each window, labelled with the call that made it. */
  const answerEachWindow: EngineScript = async ({ audio }, call) => secondBySecond(audio.durationSeconds, `w${call}-`);

  it("sends every window to the engine with the job's own options and merges them at their offsets", async () => {
    const job = await claimedJob({ language: 'en', timestamp_granularities: 'word', response_format: 'verbose_json' });
    const { runner: run, engine } = runner(answerEachWindow);

    const result = await run.run(job, never());

    const windows = engine.calls.length;
    expect(windows).toBeGreaterThan(1);
    for (const call of engine.calls) {
      expect(call.options).toEqual(optionsOfJob(job.record.options));
      expect(call.options).toMatchObject({ wordTimestamps: true, granularities: ['word'], language: 'en' });
      expect(call.audio.durationSeconds).toBeLessThan(5);
    }
    const total = engine.calls.reduce((sum, call) => sum + call.audio.durationSeconds, 0);
    expect(result.duration).toBeCloseTo(total, 3);
    expect(Math.abs(result.duration - fixture.durationSeconds)).toBeLessThan(0.1);
    // Each window's words land after the windows before it, in order, inside the audio.
    const starts = (result.words ?? []).map((word) => word.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set((result.words ?? []).map((word) => word.word.split('-')[0])).size).toBe(windows);
    const secondWindow = (result.words ?? []).find((word) => word.word.startsWith('w2-'));
    expect(secondWindow?.start).toBeGreaterThanOrEqual(engine.calls[0]?.audio.durationSeconds ?? Infinity);
    expect(result.segments.map((segment) => segment.id)).toEqual(result.segments.map((_, i) => i));

    const stored = JSON.parse((await blobs.getBytes(jobBlobKeys.result(job.id))).toString('utf8')) as TranscriptionResult;
    expect(stored).toEqual(result);
    expect(job.record.windows).toEqual({ total: windows, done: windows });
    expect(job.record.audio.durationSeconds).toBeCloseTo(result.duration, 3);
    expect(await windowOutcomes()).toEqual({ ok: windows });
  });

  it('diarize=true: windows get word timings (never a diarization request), speakers are found once over the whole recording', async () => {
    const assets = speakerAssets();
    config = loadConfig({ WINDOW_SECONDS: '8', TMP_DIR: join(dir, 'tmp'), SPEAKER_MODEL: assets.encoder });
    const job = await claimedJob({ diarize: 'true', response_format: 'verbose_json' }, assets.sampleWav);
    // Even an engine that could diarize is not asked to: per window its labels would not agree across windows.
    const { runner: run, engine } = runner(answerEachWindow, { diarizes: true });

    const result = await run.run(job, never());

    expect(engine.calls.length).toBeGreaterThan(2);
    for (const call of engine.calls) {
      expect(call.options.wordTimestamps).toBe(true);
      expect(call.diarization).toBeUndefined();
    }
    expect(result.words).toBeUndefined();
    expect(result.segments.every((segment) => segment.words === undefined && segment.speaker !== undefined)).toBe(true);
    // One label per reference speaker across all windows: speaker91 talks 21.8–28.5 s (the last windows) and
    // speaker90 8.3–10 s (an early one); the same person keeps the same label whichever window the words came from.
    const truth = parseRttm(readFileSync(assets.sampleRttm, 'utf8'));
    const speakerAt = (t: number) => result.segments.find((s) => s.start <= t && t < s.end)?.speaker;
    const truthAt = (t: number) => truth.find((s) => s.start <= t && t < s.end)?.speaker;
    for (const [a, b] of [[9, 12], [23, 25], [9, 25], [12, 23]] as const) {
      expect(speakerAt(a)).toBeDefined();
      expect(speakerAt(a) === speakerAt(b)).toBe(truthAt(a) === truthAt(b));
    }
  });

  it('with VAD: finds the speech once, cuts windows at its pauses and sends each window only its speech', async () => {
    const detector = new EnergyDetector();
    const open = jest.spyOn(detector, 'open');
    // 12 s: loud noise in three stretches, digital silence between them.
    const raw = join(dir, 'bursts.f32');
    const samples = new Float32Array(12 * 16000);
    for (const [from, to] of [[0.5, 3], [4.5, 7], [8.5, 11]] as const) for (let i = from * 16000; i < to * 16000; i += 1) samples[i] = i % 2 ? 0.3 : -0.3;
    writeFileSync(raw, Buffer.from(samples.buffer));
    const wav = join(dir, 'bursts.wav');
    execFileSync(locateFfmpeg().path, ['-v', 'error', '-f', 'f32le', '-ar', '16000', '-ac', '1', '-i', raw, wav]);
    const job = await claimedJob({ language: 'en', word_timestamps: 'true' }, wav);
    const { runner: run, engine } = runner(answerEachWindow, { detector });

    const result = await run.run(job, never());

    expect(open).toHaveBeenCalledTimes(1);
    // 7.5 s of speech, 0.2 s of padding around each stretch and at most two joins' silence (JOIN_GAP_SECONDS)
    // between stretches that share a chunk: the 12 s file's pauses are never sent.
    const sent = engine.calls.reduce((sum, call) => sum + call.audio.durationSeconds, 0);
    expect(sent).toBeGreaterThan(7.5);
    expect(sent).toBeLessThan(7.5 + 6 * 0.2 + 2 * JOIN_GAP_SECONDS + 0.1);
    expect(job.record.windows.total).toBeGreaterThan(1);
    // Every window's result was stored (a window without speech stores an empty one, with no engine call).
    expect((await blobs.list(jobBlobKeys.windowsFolder(job.id))).length).toBe(job.record.windows.total);
    expect(result.segments.length).toBeGreaterThan(0);
    const starts = result.segments.map((segment) => segment.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(result.segments.every((segment) => segment.end <= result.duration)).toBe(true);
  });

  it('keeps the words out when the job did not ask for them', async () => {
    const job = await claimedJob({});
    const { runner: run } = runner(answerEachWindow);
    const result = await run.run(job, never());
    expect(result.segments.length).toBeGreaterThan(1);
    expect(result.words).toBeUndefined();
  });

  it('retries a window that met an engine fault alone, and only that window', async () => {
    const job = await claimedJob({});
    const { runner: run, engine } = runner(async (request, call) =>
      call === 2 ? Promise.reject(new DomainError('ENGINE_FAILED', 'The worker crashed.')) : answerEachWindow(request, call),
    );
    await run.run(job, never());
    const windows = job.record.windows.total;
    expect(engine.calls).toHaveLength(windows + 1);
    // The retry is the same window again: same length of audio.
    expect(engine.calls[2]?.audio.durationSeconds).toBe(engine.calls[1]?.audio.durationSeconds);
    expect(await windowOutcomes()).toEqual({ ok: windows, ENGINE_FAILED: 1 });
  });

  it('gives up after WINDOW_RETRIES, and at once on a fault a retry cannot fix', async () => {
    const timeouts = runner(async () => Promise.reject(new DomainError('ENGINE_TIMEOUT')));
    await expect(timeouts.runner.run(await claimedJob({}), never())).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT' });
    expect(timeouts.engine.calls).toHaveLength(2);

    const refused = runner(async () => Promise.reject(new DomainError('UNDECODABLE_AUDIO')));
    await expect(refused.runner.run(await claimedJob({}), never())).rejects.toMatchObject({ code: 'UNDECODABLE_AUDIO' });
    expect(refused.engine.calls).toHaveLength(1);
  });

  it('redoes only the windows an earlier attempt did not finish', async () => {
    const first = await claimedJob({ timestamp_granularities: 'word' });
    const failing = runner(async (request, call) => (call === 2 ? Promise.reject(new DomainError('INTERNAL_ERROR')) : answerEachWindow(request, call)));
    await expect(failing.runner.run(first, never())).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
    const windows = first.record.windows.total;
    expect(first.record.windows.done).toBe(1);

    const again = await claim(first.id);
    const rest = runner(answerEachWindow);
    const result = await rest.runner.run(again, never());
    expect(rest.engine.calls).toHaveLength(windows - 1);
    expect(again.record.windows).toEqual({ total: windows, done: windows });
    // The reused window's words come first, from the earlier attempt's engine call.
    expect(result.words?.[0]?.word.startsWith('w1-')).toBe(true);
  });

  it('stops the engine when the job is cancelled, with the reason it was given', async () => {
    const job = await claimedJob({});
    const cancel = new AbortController();
    const { runner: run, engine } = runner((request) => {
      cancel.abort(new DomainError('CANCELLED', 'The job was cancelled.'));
      return untilAborted(request);
    });
    await expect(run.run(job, cancel.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(engine.calls).toHaveLength(1);
    expect(await windowOutcomes()).toEqual({ CANCELLED: 1 });
  });

  it('fails with INTERNAL_ERROR, before any decode, when the audio is no longer stored', async () => {
    const job = await claimedJob({});
    await blobs.delete(jobBlobKeys.audio(job.id));
    const { runner: run, engine } = runner(answerEachWindow);
    await expect(run.run(job, never())).rejects.toMatchObject({ code: 'INTERNAL_ERROR', message: expect.stringMatching(/no longer stored/) });
    expect(engine.calls).toHaveLength(0);
  });
});
