/**
 * @jest-environment ./src/vad/testing/onnx-jest-environment.js
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalSet, runPythonScript, SeededNormal } from '@speech/test-support';
import { detectSpeech, detectSpeechInFile } from './detect-speech';
import { SileroOnnxDetector } from './silero-onnx.detector';
import { VAD_SAMPLE_RATE } from './speech-detector.port';
import { speechProbabilities, speechProbabilitiesOfFile } from './speech-probabilities';
import { PARALLEL_STREAMS, STREAM_PARTS, streamParts } from './stream-parts';
import { SILERO_REFERENCE_DEFAULTS, speechRegions } from './speech-regions';
import { sileroWeights } from '@speech/test-support';
import { AUTO_VAD, type VadSettings } from './vad-options';

/** Real Silero v6.2 weights (npm run models:vad) on real speech and on 30 s of things that are not speech. */
const auto = AUTO_VAD as Extract<VadSettings, { enabled: true }>;
const ONE_STREAM = { ...STREAM_PARTS, maxStreams: 1 };
const referenceOf = (path: string) =>
  JSON.parse(runPythonScript('bench/vad/silero_reference.py', [], JSON.stringify({ pcm: path, options: { threshold: 0.5 } }), 300_000)) as {
    probabilities: number[];
    regions: Array<{ start: number; end: number }>;
  };
let detector: SileroOnnxDetector;
let dir: string;

beforeAll(async () => {
  detector = await SileroOnnxDetector.load(sileroWeights());
  dir = mkdtempSync(join(tmpdir(), 'vad-spec-'));
});
afterAll(async () => {
  await detector.close();
  rmSync(dir, { recursive: true, force: true });
});

function decodeToPcm(wav: string, name: string): { path: string; audio: Float32Array } {
  const path = join(dir, name);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-f', 'f32le', '-ac', '1', '-ar', '16000', path]);
  const bytes = readFileSync(path);
  return { path, audio: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4) };
}

describe('SileroOnnxDetector on real speech', () => {
  const clip = evalSet('en').sets.concat[0]!;
  let pcm: { path: string; audio: Float32Array };
  beforeAll(() => {
    pcm = decodeToPcm(clip.audio, 'concat.f32');
  });

  it('gives the probabilities and regions of silero-vad 6.2.3 itself on the same samples (one stream)', async () => {
    const ours = await speechProbabilities(pcm.audio, detector, undefined, ONE_STREAM);
    const reference = referenceOf(pcm.path);
    expect(ours.length).toBe(reference.probabilities.length);
    const maxDifference = reference.probabilities.reduce((max, p, i) => Math.max(max, Math.abs(p - (ours[i] as number))), 0);
    expect(maxDifference).toBeLessThan(1e-4);
    expect(speechRegions(ours, pcm.audio.length, SILERO_REFERENCE_DEFAULTS)).toEqual(reference.regions);
  });

  it('agrees with the reference on ≥ 99 % of frames when 10 min are scored as 16 parallel streams (PARALLEL_STREAMS)', async () => {
    const longPcm = decodeToPcm(evalSet('en').sets.long[0]!.audio, 'long-streams.f32');
    const parts = streamParts(Math.ceil(longPcm.audio.length / 512), PARALLEL_STREAMS);
    expect(parts.length).toBe(16);
    const ours = await speechProbabilities(longPcm.audio, detector, undefined, PARALLEL_STREAMS);
    const reference = referenceOf(longPcm.path);
    const agree = reference.probabilities.filter((p, i) => p >= 0.5 === (ours[i] as number) >= 0.5).length;
    expect(agree / reference.probabilities.length).toBeGreaterThanOrEqual(0.99);
    // Regions: in-region decision per sample of the reference's settings.
    const inRegion = (regions: ReadonlyArray<{ start: number; end: number }>, sample: number) => regions.some((r) => sample >= r.start && sample < r.end);
    const regions = speechRegions(ours, longPcm.audio.length, SILERO_REFERENCE_DEFAULTS);
    let same = 0;
    for (let f = 0; f < ours.length; f += 1) if (inRegion(regions, f * 512 + 256) === inRegion(reference.regions, f * 512 + 256)) same += 1;
    console.log(`16 streams vs reference: decisions ${((100 * agree) / ours.length).toFixed(3)} %, in-region ${((100 * same) / ours.length).toFixed(3)} % of ${ours.length} frames`);
    expect(same / ours.length).toBeGreaterThanOrEqual(0.99);
    // The file path gives the same as the in-memory path.
    const { probabilities } = await speechProbabilitiesOfFile(longPcm.path, detector, undefined, PARALLEL_STREAMS);
    expect(Array.from(probabilities)).toEqual(Array.from(ours));
  });

  it('scores streams batched as it scores each stream alone', async () => {
    const a = pcm.audio.subarray(0, 512 * 120);
    const b = pcm.audio.subarray(512 * 400, 512 * 520);
    const [batchedA, batchedB] = await detector.openStreams(2).score([a, b]);
    const maxDifference = (x: Float32Array, y: Float32Array) => x.reduce((max, p, i) => Math.max(max, Math.abs(p - (y[i] as number))), 0);
    expect(maxDifference(batchedA!, await detector.open().score(a))).toBeLessThan(1e-5);
    expect(maxDifference(batchedB!, await detector.open().score(b))).toBeLessThan(1e-5);
    await expect(detector.openStreams(2).score([a, b.subarray(512)])).rejects.toThrow(RangeError);
  });

  it('on 10 min of speech with pauses, covers the speech and leaves most of the pause time out', async () => {
    const long = evalSet('en').sets.long[0]!;
    const longPcm = decodeToPcm(long.audio, 'long.f32');
    const { regions, samples } = await detectSpeechInFile(longPcm.path, detector, auto);
    expect(samples).toBe(longPcm.audio.length);
    const utterances = long.utterances ?? [];
    const inside = (a: number, b: number) => regions.reduce((sum, r) => sum + Math.max(0, Math.min(b, r.end) - Math.max(a, r.start)), 0);
    const spoken = utterances.reduce((sum, u) => sum + (u.end - u.start) * VAD_SAMPLE_RATE, 0);
    const covered = utterances.reduce((sum, u) => sum + inside(u.start * VAD_SAMPLE_RATE, u.end * VAD_SAMPLE_RATE), 0);
    const kept = regions.reduce((sum, r) => sum + r.end - r.start, 0);
    // Truth: 54 % of the clip is speech, pauses 0.4-3 s. Auto pads 200 ms each side and ends a region after 500 ms, so pauses under ~0.9 s stay.
    expect(covered / spoken).toBeGreaterThan(0.99);
    expect(kept / samples).toBeLessThan(0.7);
    expect(regions.every((r) => r.end - r.start <= 30 * VAD_SAMPLE_RATE)).toBe(true);
  });

  it('carries state across calls: one pass fed in pieces equals one pass fed at once, and passes are independent', async () => {
    const frames = pcm.audio.subarray(0, 512 * 300);
    const whole = await detector.open().score(frames);
    const pass = detector.open();
    const other = detector.open();
    const first = await pass.score(frames.subarray(0, 512 * 7));
    await other.score(new Float32Array(512 * 50).fill(0.3));
    const rest = await pass.score(frames.subarray(512 * 7));
    expect(Array.from([...first, ...rest])).toEqual(Array.from(whole));
    await expect(pass.score(new Float32Array(100))).rejects.toThrow(RangeError);
  });
});

describe('SileroOnnxDetector on 30 s without speech (auto settings)', () => {
  const seconds = 30;
  const n = seconds * VAD_SAMPLE_RATE;
  const gaussian = (seed: number) => {
    const out = new Float32Array(n);
    new SeededNormal(seed).fill(out, 1);
    return out;
  };
  const scaled = (audio: Float32Array, rms: number) => {
    const current = Math.sqrt(audio.reduce((sum, x) => sum + x * x, 0) / audio.length);
    return audio.map((x) => (x / current) * rms);
  };
  /** Pink (1/f) noise by Paul Kellet's filter over white noise. */
  const pink = (seed: number) => {
    const white = gaussian(seed);
    const b = [0, 0, 0, 0, 0, 0, 0];
    return white.map((w) => {
      b[0] = 0.99886 * b[0]! + w * 0.0555179;
      b[1] = 0.99332 * b[1]! + w * 0.0750759;
      b[2] = 0.969 * b[2]! + w * 0.153852;
      b[3] = 0.8665 * b[3]! + w * 0.3104856;
      b[4] = 0.55 * b[4]! + w * 0.5329522;
      b[5] = -0.7616 * b[5]! - w * 0.016898;
      const out = b.slice(0, 6).reduce((s, v) => s + v, 0) + b[6]! + w * 0.5362;
      b[6] = w * 0.115926;
      return out;
    });
  };
  /** Room tone: brown (integrated) noise with mains hum, very quiet. */
  const roomTone = (seed: number) => {
    let level = 0;
    const brown = gaussian(seed).map((w) => (level = level * 0.995 + w * 0.05));
    return scaled(brown.map((x, i) => x + 0.3 * Math.sin((2 * Math.PI * 50 * i) / VAD_SAMPLE_RATE)), 0.003);
  };
  const tone = (hz: number[]) => Float32Array.from({ length: n }, (_, i) => hz.reduce((s, f) => s + 0.2 * Math.sin((2 * Math.PI * f * i) / VAD_SAMPLE_RATE), 0));

  it.each([
    ['digital silence', () => new Float32Array(n)],
    ['white noise at −20 dBFS', () => scaled(gaussian(1), 0.1)],
    ['white noise at −40 dBFS', () => scaled(gaussian(2), 0.01)],
    ['pink noise at −20 dBFS', () => scaled(pink(3), 0.1)],
    ['a steady 440 Hz tone', () => tone([440])],
    ['a steady 1 kHz + 3 kHz chord', () => tone([1000, 3000])],
    ['room tone (quiet brown noise and 50 Hz hum)', () => roomTone(4)],
  ])('%s has no speech region', async (_name, make) => {
    const audio = make();
    expect(await detectSpeech(audio, detector, auto)).toEqual([]);
  });
});

describe('SileroOnnxDetector.load', () => {
  it('refuses a file that is not a Silero model', async () => {
    await expect(SileroOnnxDetector.load(join(__dirname, 'index.ts'))).rejects.toThrow();
  });
});
