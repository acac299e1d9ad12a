/**
 * @jest-environment ./src/vad/testing/onnx-jest-environment.js
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { TranscriptionResult, TranscriptSegment } from '@speech/contracts';
import { decodeMono16k, type LabelledSpan, parseRttm, speakerAssets } from '@speech/test-support';
import { AudioNormalizer } from '../audio/audio-normalizer';
import { DecodeGate } from '../audio/decode-gate';
import { locateFfmpeg } from '../audio/ffmpeg-locator';
import { DomainError } from '../common/domain-error';
import { type AppConfig, loadConfig } from '../config/app-config';
import type { NormalizedAudio } from '../engines/transcription-engine.port';
import { PrepareStage } from './prepare.stage';
import { diarizeStageFor } from './testing/diarize-stage';
import { ScriptedEngine } from './testing/scripted-engine';
import { parseNativeOptions, parseOpenAiOptions } from './transcribe-options.parser';

jest.setTimeout(120_000);
beforeAll(() => Logger.overrideLogger(false));

/** A transcript of `duration` seconds with a word every 0.5 s, five seconds to a segment: what an engine gives with word timings. */
function wordEvery(duration: number): TranscriptionResult {
  const segments: TranscriptSegment[] = [];
  for (let start = 0; start < duration; start += 5) {
    const words = Array.from({ length: 10 }, (_, i) => ({ word: `w${start * 2 + i}`, start: start + i * 0.5, end: start + i * 0.5 + 0.4 }))
      .filter((w) => w.end <= duration);
    segments.push({ id: segments.length, start, end: Math.min(duration, start + 5), text: ` ${words.map((w) => w.word).join(' ')}`, words });
  }
  return { text: segments.map((s) => s.text).join('').trim(), language: 'en', duration, segments, words: segments.flatMap((s) => s.words ?? []) };
}

function truthAt(truth: readonly LabelledSpan[], t: number): string | undefined {
  const speaking = truth.filter((span) => span.start <= t && t < span.end);
  return speaking.length === 1 ? speaking[0]?.speaker : undefined;
}

/** Share of single-speaker words whose label maps to the true speaker (labels mapped to speakers by majority). */
function wordAccuracy(result: TranscriptionResult, truth: readonly LabelledSpan[]): number {
  const pairs = result.segments
    .flatMap((s) => s.words ?? [])
    .map((w) => ({ label: w.speaker, truth: truthAt(truth, (w.start + w.end) / 2) }))
    .filter((p): p is { label: string; truth: string } => p.truth !== undefined && p.label !== undefined);
  const votes = new Map<string, Map<string, number>>();
  for (const p of pairs) votes.set(p.label, new Map([...(votes.get(p.label) ?? new Map<string, number>())]).set(p.truth, (votes.get(p.label)?.get(p.truth) ?? 0) + 1));
  const right = [...votes.values()].reduce((sum, byTruth) => sum + Math.max(...byTruth.values()), 0);
  return right / pairs.length;
}

describe('DiarizeStage (real CAM++ encoder on the pyannote two-speaker sample)', () => {
  const normalizer = new AudioNormalizer(locateFfmpeg().path, new DecodeGate({ concurrency: 1, queueSize: 4, tempBudgetBytes: 1024 ** 3 }));
  const prepare = new PrepareStage(normalizer);
  const assets = speakerAssets();
  const truth = parseRttm(readFileSync(assets.sampleRttm, 'utf8'));
  const signal = new AbortController().signal;
  let dir: string;
  let audio: NormalizedAudio;
  let samples: Float32Array;
  let config: AppConfig;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'diarize-stage-'));
    samples = decodeMono16k(assets.sampleWav);
    const path = join(dir, 'audio.f32');
    writeFileSync(path, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
    audio = { path, durationSeconds: samples.length / 16000, sampleRate: 16000 };
    config = loadConfig({ SPEAKER_MODEL: assets.encoder, TMP_DIR: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A WAV data URL of the sample between two times (what OpenAI's SDK sends in known_speaker_references[]). */
  function referenceClip(from: number, to: number): string {
    const wav = execFileSync('ffmpeg', ['-v', 'error', '-i', assets.sampleWav, '-ss', String(from), '-to', String(to), '-ac', '1', '-f', 'wav', '-']);
    return `data:audio/wav;base64,${wav.toString('base64')}`;
  }

  it('local engine: asks it for word timings, labels the words by who spoke them, splits segments, then drops the words nobody asked for', async () => {
    const engine = new ScriptedEngine(async () => wordEvery(audio.durationSeconds));
    const { stage, model } = diarizeStageFor(engine, config, prepare);
    const options = parseNativeOptions({ diarize: 'true', response_format: 'verbose_json' });
    const plan = await stage.plan(options, signal);
    expect(plan.engineOptions.wordTimestamps).toBe(true);
    expect(plan.forEngine).toBeUndefined();

    const withWords = await stage.run({ ...plan, options: { ...options, wordTimestamps: true } }, { audio, result: wordEvery(audio.durationSeconds), signal });
    expect(new Set(withWords.segments.map((s) => s.speaker))).toEqual(new Set(['A', 'B']));
    // Every segment has one speaker, all its words agree, and the turns follow the reference RTTM.
    for (const segment of withWords.segments) expect(new Set(segment.words?.map((w) => w.speaker))).toEqual(new Set([segment.speaker]));
    expect(withWords.segments.length).toBeGreaterThan(6);
    expect(wordAccuracy(withWords, truth)).toBeGreaterThan(0.85);

    const plain = await stage.run(plan, { audio, result: wordEvery(audio.durationSeconds), signal });
    expect(plain.words).toBeUndefined();
    expect(plain.segments.every((s) => s.words === undefined && s.speaker !== undefined)).toBe(true);
    await model.onModuleDestroy();
  });

  it('uses the speech regions it is given (the VAD stage\'s) instead of finding its own', async () => {
    const engine = new ScriptedEngine(async () => wordEvery(audio.durationSeconds));
    const { stage, model } = diarizeStageFor(engine, config, prepare);
    const options = { ...parseNativeOptions({ diarize: 'true', num_speakers: '2' }), wordTimestamps: true };
    const plan = await stage.plan(options, signal);
    // Only the first 10 s are speech by this account: every label comes from there.
    const result = await stage.run(plan, { audio, result: wordEvery(audio.durationSeconds), speechRegions: [{ start: 6.6, end: 10 }], signal });
    const late = result.segments.filter((s) => s.start > 20);
    expect(new Set(late.map((s) => s.speaker)).size).toBe(1);
    await model.onModuleDestroy();
  });

  it('an engine that diarizes itself is asked to (with the counts and decoded known speakers) and the encoder is never opened', async () => {
    const engine = new ScriptedEngine(async () => wordEvery(10), true);
    const { stage } = diarizeStageFor(engine, config, prepare, () => Promise.reject(new Error('must not open')));
    const options = parseOpenAiOptions(
      { response_format: 'diarized_json', min_speakers: '1', max_speakers: '3', 'known_speaker_names[]': ['host'], 'known_speaker_references[]': [referenceClip(10.6, 14.6)] },
      'transcribe',
    );
    const plan = await stage.plan(options, signal);
    expect(plan.forEngine).toMatchObject({ minSpeakers: 1, maxSpeakers: 3 });
    expect(plan.forEngine?.knownSpeakers).toHaveLength(1);
    expect(plan.forEngine?.knownSpeakers[0]?.name).toBe('host');
    expect(plan.forEngine?.knownSpeakers[0]?.samples.length).toBeCloseTo(4 * 16000, -2);
    const labelled = wordEvery(10);
    labelled.segments = labelled.segments.map((s) => ({ ...s, speaker: 'host', words: s.words?.map((w) => ({ ...w, speaker: 'host' })) }));
    const result = await stage.run(plan, { audio, result: labelled, signal });
    expect(result.segments.map((s) => s.speaker)).toEqual(['host', 'host']);
  });

  it('an engine that was asked but labelled nobody is not trusted: the API diarizes', async () => {
    const engine = new ScriptedEngine(async () => wordEvery(audio.durationSeconds), true);
    const { stage, model } = diarizeStageFor(engine, config, prepare);
    const plan = await stage.plan({ ...parseNativeOptions({ diarize: 'true' }), wordTimestamps: true }, signal);
    const result = await stage.run(plan, { audio, result: wordEvery(audio.durationSeconds), signal });
    expect(new Set(result.segments.map((s) => s.speaker))).toEqual(new Set(['A', 'B']));
    await model.onModuleDestroy();
  });

  it('names a cluster after a known speaker whose clip matches', async () => {
    const engine = new ScriptedEngine(async () => wordEvery(audio.durationSeconds));
    const { stage, model } = diarizeStageFor(engine, config, prepare);
    const options = parseNativeOptions({ diarize: 'true', known_speaker_names: ['guest'], known_speaker_references: [referenceClip(21.8, 27.5)] });
    const plan = await stage.plan(options, signal);
    const result = await stage.run(plan, { audio, result: wordEvery(audio.durationSeconds), signal });
    const speakers = new Set(result.segments.map((s) => s.speaker));
    expect(speakers.has('guest')).toBe(true);
    // speaker91 speaks 21.78–28.5 s in the reference: that is "guest".
    expect(result.segments.filter((s) => s.start > 22 && s.end < 27).every((s) => s.speaker === 'guest')).toBe(true);
    await model.onModuleDestroy();
  });

  it('refuses what it cannot do before the engine runs: missing model (503), diarization off, unusable reference clip', async () => {
    const engine = new ScriptedEngine(async () => wordEvery(5));
    const options = parseNativeOptions({ diarize: 'true' });
    const missing = diarizeStageFor(engine, loadConfig({ SPEAKER_MODEL: join(dir, 'absent.onnx') }), prepare).stage;
    await expect(missing.plan(options, signal)).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', status: 503 });
    const off = diarizeStageFor(engine, loadConfig({ DIARIZATION_ENABLED: 'false', SPEAKER_MODEL: assets.encoder }), prepare).stage;
    await expect(off.plan(options, signal)).rejects.toMatchObject({ code: 'INVALID_OPTION', details: { param: 'diarize' } });

    const { stage } = diarizeStageFor(engine, config, prepare);
    const tooShort = parseNativeOptions({ diarize: 'true', known_speaker_names: ['x'], known_speaker_references: [referenceClip(10, 10.5)] });
    await expect(stage.plan(tooShort, signal)).rejects.toMatchObject({ code: 'INVALID_OPTION', details: { param: 'known_speaker_references' } });
    const notAudio = parseNativeOptions({ diarize: 'true', known_speaker_names: ['x'], known_speaker_references: [`data:audio/wav;base64,${Buffer.from('not audio at all').toString('base64')}`] });
    const error = await stage.plan(notAudio, signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).details).toEqual({ param: 'known_speaker_references' });
    expect((error as DomainError).message).toContain('"x"');
  });

  it('without diarization it changes nothing and opens nothing', async () => {
    const engine = new ScriptedEngine(async () => wordEvery(5));
    const { stage } = diarizeStageFor(engine, config, prepare, () => Promise.reject(new Error('must not open')));
    const options = parseNativeOptions({});
    const plan = await stage.plan(options, signal);
    expect(plan.engineOptions).toBe(options);
    const result = wordEvery(5);
    expect(await stage.run(plan, { audio, result, signal })).toBe(result);
  });

  it('bounds speaker work: one at a time, and a full queue refuses a sync request with ENGINE_BUSY (jobs wait)', async () => {
    const engine = new ScriptedEngine(async () => wordEvery(audio.durationSeconds));
    const bounded = loadConfig({ SPEAKER_MODEL: assets.encoder, DIARIZATION_QUEUE_SIZE: '0', TMP_DIR: dir });
    const { stage, model } = diarizeStageFor(engine, bounded, prepare);
    const plan = await stage.plan(parseNativeOptions({ diarize: 'true' }), signal);
    const call = (background: boolean) => stage.run(plan, { audio, result: wordEvery(audio.durationSeconds), signal, background });
    const first = call(false);
    await expect(call(false)).rejects.toMatchObject({ code: 'ENGINE_BUSY' });
    const job = call(true);
    const [a, b] = await Promise.all([first, job]);
    expect(a.segments.map((s) => s.speaker)).toEqual(b.segments.map((s) => s.speaker));
    await model.onModuleDestroy();
  });
});
