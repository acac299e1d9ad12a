/**
 * @jest-environment ./src/vad/testing/onnx-jest-environment.js
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalSet, SeededNormal } from '@speech/test-support';
import { detectSpeechInFile } from '../vad/detect-speech';
import { SileroOnnxDetector } from '../vad/silero-onnx.detector';
import { sileroWeights } from '@speech/test-support';
import { AUTO_VAD, type VadSettings } from '../vad/vad-options';
import { planWindows } from './silence-splitter';

const RATE = 16_000;
const FRAME = 320; // 20 ms

/**
 * Job windows cut at VAD pauses, on 10 min of real speech (the eval set's long clip: Asterisk prompts, some of
 * them 30 s long with pauses between sentences) under steady pink noise at ~15 dB SNR, so pauses are not silent.
 * A cut is judged on the clean recording: the loudest 20 ms within ±60 ms of it must be ≥ 40 dB below speech.
 */
describe('planWindows with VAD speech regions, on real speech in noise', () => {
  const clip = evalSet('en').sets.long[0]!;
  let dir: string;
  let noisy: string;
  let cleanEnergy: number[];
  let speechLevel: number;
  let detector: SileroOnnxDetector;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vad-windows-'));
    const clean = join(dir, 'clean.f32');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', clip.audio, '-f', 'f32le', '-ac', '1', '-ar', String(RATE), clean]);
    const bytes = readFileSync(clean);
    const audio = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    cleanEnergy = frameEnergies(audio);
    speechLevel = [...cleanEnergy].sort((a, b) => a - b)[Math.floor(cleanEnergy.length * 0.9)] as number;
    noisy = join(dir, 'noisy.f32');
    writeFileSync(noisy, Buffer.from(withPinkNoise(audio, Math.sqrt(speechLevel) * 0.18).buffer));
    detector = await SileroOnnxDetector.load(sileroWeights());
  });
  afterAll(async () => {
    await detector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** dB of the loudest clean 20 ms frame within ±60 ms of a cut, relative to the speech level. */
  const levelAt = (cut: number) => {
    const frame = Math.floor(cut / FRAME);
    return Math.round(10 * Math.log10(Math.max(1e-12, ...cleanEnergy.slice(frame - 3, frame + 3)) / speechLevel));
  };

  it.each([20, 45, 60])('cuts every %i s window in a pause between speech regions', async (windowSeconds) => {
    const { regions } = await detectSpeechInFile(noisy, detector, AUTO_VAD as Extract<VadSettings, { enabled: true }>);
    const plan = await planWindows(noisy, { windowSeconds, sampleRate: RATE, speechRegions: regions });
    const cuts = plan.windows.slice(1).map((w) => w.startSample);
    expect(cuts.length).toBeGreaterThanOrEqual(Math.floor(clip.duration / windowSeconds) - 1);
    expect(cuts.filter((cut) => levelAt(cut) > -40).map((cut) => `${(cut / RATE).toFixed(2)} s: ${levelAt(cut)} dB`)).toEqual([]);
    // Nearly all cuts are VAD pauses; the energy fallback serves only boundaries with no pause within 40 % of a window.
    const fallbacks = cuts.filter((cut) => regions.some((r) => r.start < cut && cut < r.end));
    expect(fallbacks.length).toBeLessThanOrEqual(Math.floor(cuts.length / 10));
    // The windows tile the recording exactly.
    expect(plan.windows[0]!.startSample).toBe(0);
    plan.windows.slice(1).forEach((w, i) => expect(w.startSample).toBe(plan.windows[i]!.endSample));
  });
});

function frameEnergies(audio: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + FRAME <= audio.length; i += FRAME) {
    let sum = 0;
    for (let j = i; j < i + FRAME; j += 1) sum += (audio[j] as number) ** 2;
    out.push(sum / FRAME);
  }
  return out;
}

/** Adds pink noise (Paul Kellet's economy filter over seeded white noise) of the given RMS. */
function withPinkNoise(audio: Float32Array, rms: number): Float32Array {
  const white = new Float32Array(audio.length);
  new SeededNormal(11).fill(white, 1);
  const pink = new Float32Array(audio.length);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let power = 0;
  for (let i = 0; i < audio.length; i += 1) {
    const w = white[i] as number;
    b0 = 0.99765 * b0 + w * 0.099046;
    b1 = 0.963 * b1 + w * 0.2965164;
    b2 = 0.57 * b2 + w * 1.0526913;
    pink[i] = b0 + b1 + b2 + w * 0.1848;
    power += (pink[i] as number) ** 2;
  }
  const scale = rms / Math.sqrt(power / audio.length);
  return audio.map((x, i) => x + (pink[i] as number) * scale);
}
