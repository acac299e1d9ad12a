import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';
import type { DecodedAudio } from '../audio/audio-normalizer';
import { AudioNormalizer } from '../audio/audio-normalizer';
import { DecodeGate } from '../audio/decode-gate';
import { locateFfmpeg } from '../audio/ffmpeg-locator';
import { DomainError } from '../common/domain-error';
import { loadConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { SpeechDetection } from '../vad/speech-detection';
import { JOIN_GAP_SECONDS } from '../vad/vad-options';
import { EnergyDetector } from '../vad/testing/energy-detector';
import { DispatchStage } from './dispatch.stage';
import { EngineDispatcher } from './engine-dispatcher';
import { PrepareStage } from './prepare.stage';
import { type EngineScript, ScriptedEngine, secondBySecond, untilAborted } from './testing/scripted-engine';
import { parseNativeOptions } from './transcribe-options.parser';
import { TranscriptionPipeline } from './transcription-pipeline';
import { VadStage } from './vad.stage';
import { modelRegistryFor } from '../engines/served-models';
import { diarizeStageFor } from './testing/diarize-stage';

beforeAll(() => Logger.overrideLogger(false));

const RATE = 16_000;
/** Loud noise in these spans (seconds), digital silence elsewhere. */
const SPEECH: Array<[number, number]> = [[2, 8], [20, 26], [27.5, 29], [50, 55]];

/**
 * The VAD path of the pipeline with a stand-in detector (frames above an energy level are speech) and a scripted
 * engine: what reaches the engine, in how many calls and slots, and how the answers come back on the timeline.
 */
describe('TranscriptionPipeline with VAD (VadStage)', () => {
  let dir: string;
  let engine: ScriptedEngine;
  let dispatcher: EngineDispatcher;
  let maxRunning: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vad-stage-'));
    maxRunning = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function pipeline(script: EngineScript, detector: EnergyDetector | undefined = new EnergyDetector()): TranscriptionPipeline {
    const config = loadConfig({ MAX_AUDIO_SECONDS: '120' });
    dispatcher = new EngineDispatcher(1, 4);
    engine = new ScriptedEngine(async (request, call) => {
      maxRunning = Math.max(maxRunning, dispatcher.runningCount);
      return script(request, call);
    });
    const metrics = new MetricsService();
    const dispatch = new DispatchStage(engine, dispatcher, config, metrics, modelRegistryFor(config.engine, engine.describe().model));
    const normalizer = new AudioNormalizer(locateFfmpeg().path, new DecodeGate({ concurrency: 1, queueSize: 1, tempBudgetBytes: 1024 ** 2 }));
    const prepare = new PrepareStage(normalizer);
    const diarize = diarizeStageFor(engine, config, prepare).stage;
    return new TranscriptionPipeline(prepare, dispatch, diarize, new VadStage(dispatch, SpeechDetection.of(detector)), engine, config, metrics);
  }

  function audio(seconds: number, speech: Array<[number, number]>): DecodedAudio {
    const samples = new Float32Array(seconds * RATE);
    let seed = 3;
    for (const [from, to] of speech) {
      for (let i = from * RATE; i < to * RATE; i += 1) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        samples[i] = 0.3 * ((seed / 0x7fffffff) * 2 - 1);
      }
    }
    const path = join(dir, 'audio.f32');
    writeFileSync(path, Buffer.from(samples.buffer));
    return { path, durationSeconds: seconds, sampleRate: RATE, warnings: [] };
  }

  const run = (p: TranscriptionPipeline, a: DecodedAudio, fields: Record<string, unknown> = {}, onProgress?: (f: number) => void, signal = new AbortController().signal) =>
    p.transcribeDecoded({ audio: a, options: parseNativeOptions({ language: 'en', ...fields }), signal, onProgress });

  /** Seconds of a segment outside every speech span widened by `pad`. */
  const outsideSpeech = (start: number, end: number, pad: number) => {
    let inside = 0;
    for (const [from, to] of SPEECH) inside += Math.max(0, Math.min(end, to + pad) - Math.max(start, from - pad));
    return end - start - inside;
  };

  it('answers an empty transcript for audio without speech, without calling the engine', async () => {
    const result = await run(pipeline(async () => secondBySecond(1)), audio(30, []));
    expect(engine.calls).toHaveLength(0);
    expect(result).toEqual({ text: '', language: 'en', duration: 30, segments: [] });
  });

  it('sends only the speech, in chunks of at most 30 s, in one slot, and maps every time back', async () => {
    const progress: number[] = [];
    const result = await run(pipeline(async ({ audio: a }) => secondBySecond(a.durationSeconds)), audio(60, SPEECH), { word_timestamps: 'true' }, (f) => progress.push(f));

    const sent = engine.calls.map((call) => call.audio.durationSeconds);
    expect(sent.every((seconds) => seconds <= 30)).toBe(true);
    // 18.5 s of speech plus 200 ms of padding on each side of its four regions (20.1 s of 60), plus a second of
    // silence between neighbours laid in one chunk (at most three joins).
    expect(sent.reduce((a, b) => a + b, 0)).toBeGreaterThan(18.5);
    expect(sent.reduce((a, b) => a + b, 0)).toBeLessThan(18.5 + 4 * 0.4 + 3 * JOIN_GAP_SECONDS + 0.2);
    expect(maxRunning).toBe(1);
    // Chunk files are the caller's workspace's and gone afterwards.
    expect(readdirSync(dir)).toEqual(['audio.f32']);

    expect(result.segments.length).toBeGreaterThan(10);
    for (const segment of result.segments) {
      expect(outsideSpeech(segment.start, segment.end, 0.25)).toBeLessThan(1e-6);
      for (const word of segment.words ?? []) expect(outsideSpeech(word.start, word.end, 0.25)).toBeLessThan(1e-6);
    }
    expect(result.segments.map((s) => s.id)).toEqual(result.segments.map((_, i) => i));
    expect(result.words?.length).toBe(result.segments.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);
  });

  it('asks for word times when a chunk holds several regions, splits a segment written across a join, and keeps words only when asked', async () => {
    // One segment across the whole chunk: whisper writing one line over two regions laid end to end.
    const across: EngineScript = async ({ audio: a }) => {
      const words = Array.from({ length: Math.floor(a.durationSeconds) }, (_, i) => ({ word: `w${i}`, start: i + 0.1, end: i + 0.9 }));
      const result: TranscriptionResult = { text: '', language: 'en', duration: a.durationSeconds, segments: [{ id: 0, start: 0, end: a.durationSeconds, text: ' all', words }] };
      return result;
    };
    const result = await run(pipeline(across), audio(60, SPEECH));
    expect(engine.calls.some((call) => call.options.wordTimestamps)).toBe(true);
    expect(result.segments.length).toBeGreaterThanOrEqual(SPEECH.length);
    for (const segment of result.segments) expect(outsideSpeech(segment.start, segment.end, 0.25)).toBeLessThan(1e-6);
    expect(result.words).toBeUndefined();
    expect(result.segments.every((segment) => segment.words === undefined)).toBe(true);
  });

  it('drops a segment that is only a silence marker ("[BLANK_AUDIO]") with VAD, and keeps it (flagged) with vad=false', async () => {
    // Each call: a marker over the first second, then words.
    const marked: EngineScript = async ({ audio: a }) => {
      const spoken = secondBySecond(a.durationSeconds);
      const segments = [{ id: 0, start: 0, end: 1, text: ' [BLANK_AUDIO]' }, ...spoken.segments.slice(1).map((s, i) => ({ ...s, id: i + 1 }))];
      return { ...spoken, segments };
    };
    const withVad = await run(pipeline(marked), audio(60, SPEECH));
    expect(engine.calls.length).toBeGreaterThan(0);
    expect(withVad.segments.length).toBeGreaterThan(0);
    expect(withVad.segments.some((s) => s.text.includes('BLANK_AUDIO'))).toBe(false);
    expect(withVad.text).not.toContain('BLANK_AUDIO');
    const withoutVad = await run(pipeline(marked), audio(60, SPEECH), { vad: 'false' });
    const marker = withoutVad.segments.find((s) => s.text === ' [BLANK_AUDIO]');
    expect(marker?.flags).toContain('known_hallucination');
  });

  it('sends the whole audio in one call with vad=false', async () => {
    await run(pipeline(async ({ audio: a }) => secondBySecond(a.durationSeconds)), audio(60, SPEECH), { vad: 'false' });
    expect(engine.calls.map((call) => call.audio.durationSeconds)).toEqual([60]);
  });

  it("applies server_vad's settings: a longer silence_duration_ms joins regions a short one keeps apart", async () => {
    const strategy = (ms: number) => JSON.stringify({ type: 'server_vad', silence_duration_ms: ms, prefix_padding_ms: 0 });
    const p = pipeline(async ({ audio: a }) => secondBySecond(a.durationSeconds));
    const shortResult = await run(p, audio(60, SPEECH), { chunking_strategy: strategy(100) });
    const short = engine.calls.reduce((sum, call) => sum + call.audio.durationSeconds, 0);
    const p2 = pipeline(async ({ audio: a }) => secondBySecond(a.durationSeconds));
    const longResult = await run(p2, audio(60, SPEECH), { chunking_strategy: strategy(2000) });
    const long = engine.calls.reduce((sum, call) => sum + call.audio.durationSeconds, 0);
    // The 1.5 s pause at 26-27.5 s is sent only when 2 s of silence are needed to end a region; a 100 ms setting
    // ends the region there and lays the next one a join gap (1 s of zeros) later, so 0.5 s less is sent.
    const inPause = (result: TranscriptionResult) => result.segments.some((s) => s.end > 26.3 && s.start < 27.2);
    expect(inPause(longResult)).toBe(true);
    expect(inPause(shortResult)).toBe(false);
    expect(long - short).toBeGreaterThan(1.5 - JOIN_GAP_SECONDS - 0.1);
    expect(long - short).toBeLessThan(1.5 - JOIN_GAP_SECONDS + 0.1);
  });

  it("stops at the caller's abort between or during chunks, with the caller's reason, leaving no chunk file", async () => {
    const controller = new AbortController();
    const p = pipeline(async (request, call) => {
      if (call === 2) {
        controller.abort(new DomainError('CANCELLED', 'client went away'));
        return untilAborted(request);
      }
      return secondBySecond(request.audio.durationSeconds);
    });
    // 78 s of speech: three chunks.
    await expect(run(p, audio(100, [[2, 25], [30, 55], [60, 90]]), {}, undefined, controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(engine.calls.length).toBe(2);
    expect(readdirSync(dir)).toEqual(['audio.f32']);
  });

  it("hands each chunk's text to onText as soon as the engine returns it, in order, with the decode's warnings; none without VAD", async () => {
    const pieces: Array<{ text: string; calls: number }> = [];
    const p = pipeline(async ({ audio: a }) => secondBySecond(a.durationSeconds));
    const decoded = { ...audio(100, [[2, 25], [30, 55], [60, 90]]), warnings: [{ code: 'AUDIO_PARTLY_DAMAGED' as const, message: 'cut short', decoded_seconds: 99, decoder_errors: 1 }] };
    const warned: string[][] = [];
    const result = await p.transcribeDecoded({
      audio: decoded,
      options: parseNativeOptions({ language: 'en' }),
      signal: new AbortController().signal,
      onText: (text, warnings) => {
        pieces.push({ text, calls: engine.calls.length });
        warned.push(warnings.map((warning) => warning.code));
      },
    });
    // 78 s of speech in chunks of ≤ 30 s: each piece out right after its own engine call (not after the last one).
    const calls = engine.calls.length;
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(pieces.map((piece) => piece.calls)).toEqual(Array.from({ length: calls }, (_, i) => i + 1));
    expect(warned).toEqual(Array(calls).fill(['AUDIO_PARTLY_DAMAGED']));
    expect(pieces.map((piece) => piece.text).join('').trim()).toBe(result.text);
    const none: string[] = [];
    await p.transcribeDecoded({ audio: decoded, options: parseNativeOptions({ language: 'en', vad: 'false' }), signal: new AbortController().signal, onText: (text) => none.push(text) });
    expect(none).toEqual([]);
  });

  it('refuses with MODEL_UNAVAILABLE when the model did not load, and still serves vad=false', async () => {
    const detection = await SpeechDetection.load({ enabled: true, modelPath: join(dir, 'missing.onnx'), threads: 1 });
    expect(detection.state()).toMatchObject({ enabled: true, ready: false, problem: expect.stringContaining('npm run models:vad') });
    const config = loadConfig({});
    const scripted = new ScriptedEngine(async ({ audio: a }) => secondBySecond(a.durationSeconds));
    const dispatch = new DispatchStage(scripted, new EngineDispatcher(1, 1), config, new MetricsService(), modelRegistryFor(config.engine, scripted.describe().model));
    const normalizer = new AudioNormalizer(locateFfmpeg().path, new DecodeGate({ concurrency: 1, queueSize: 1, tempBudgetBytes: 1024 ** 2 }));
    const prepare = new PrepareStage(normalizer);
    const diarize = diarizeStageFor(scripted, config, prepare).stage;
    const p = new TranscriptionPipeline(prepare, dispatch, diarize, new VadStage(dispatch, detection), scripted, config, new MetricsService());
    const a = audio(10, [[2, 5]]);
    await expect(run(p, a)).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', status: 503 });
    expect(scripted.calls).toHaveLength(0);
    await expect(run(p, a, { vad: 'false' })).resolves.toMatchObject({ duration: 10 });
    expect(existsSync(a.path) && statSync(a.path).size).toBe(10 * RATE * 4);
  });
});
