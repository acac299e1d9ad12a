import { RealFftPower } from './real-fft-power';

/**
 * The speaker encoder's front end: Kaldi's log mel filter bank as 3D-Speaker computes it for CAM++
 * (`torchaudio.compliance.kaldi.fbank(wav, num_mel_bins=80, dither=0)`): 25 ms frames every 10 ms with snipped
 * edges, each frame's DC removed, pre-emphasis 0.97 (the first sample against itself), a povey window, |FFT|² on 512
 * points, 80 triangular bands equal-spaced on Kaldi's mel scale from 20 Hz to Nyquist, natural log floored at float32
 * epsilon. Samples are scaled to 16-bit range first, as Kaldi reads integer PCM. A golden file from the Python
 * reference (scripts/models/speaker/kaldi_fbank.py) pins it (kaldi-fbank.spec.ts).
 */
export const SAMPLE_RATE = 16000;
export const FBANK_BANDS = 80;
export const FRAME_LENGTH = 400;
export const FRAME_SHIFT = 160;
export const FBANK_FRAMES_PER_SECOND = SAMPLE_RATE / FRAME_SHIFT;
const FFT_SIZE = 512;
const BINS = FFT_SIZE / 2;
const LOW_HZ = 20;
const PREEMPHASIS = 0.97;
const FLOAT32_EPSILON = 2 ** -23;
const PCM_SCALE = 32768;

interface Tables {
  readonly window: Float64Array;
  /** Each band's non-zero weights only, starting at bin `first`. */
  readonly bands: { first: number; weights: Float64Array }[];
  readonly fft: RealFftPower;
}

let tables: Tables | undefined;

const kaldiMel = (hz: number) => 1127 * Math.log(1 + hz / 700);

/** Kaldi's MelBanks: triangles on the mel axis, evaluated at each FFT bin's mel value; the Nyquist bin gets none. */
function melBanks(): { first: number; weights: Float64Array }[] {
  const low = kaldiMel(LOW_HZ);
  const step = (kaldiMel(SAMPLE_RATE / 2) - low) / (FBANK_BANDS + 1);
  const binMel = Float64Array.from({ length: BINS }, (_, k) => kaldiMel((k * SAMPLE_RATE) / FFT_SIZE));
  return Array.from({ length: FBANK_BANDS }, (_, band) => {
    const [left, centre, right] = [low + band * step, low + (band + 1) * step, low + (band + 2) * step];
    const weights = binMel.map((mel) => Math.max(0, Math.min((mel - left) / (centre - left), (right - mel) / (right - centre))));
    const first = weights.findIndex((w) => w > 0);
    let last = weights.length - 1;
    while (last > first && weights[last] === 0) last--;
    return { first, weights: weights.slice(first, last + 1) };
  });
}

function frontEndTables(): Tables {
  tables ??= {
    // povey: a Hann window (symmetric) raised to 0.85.
    window: Float64Array.from({ length: FRAME_LENGTH }, (_, n) => Math.pow(0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (FRAME_LENGTH - 1)), 0.85)),
    bands: melBanks(),
    fft: new RealFftPower(FFT_SIZE),
  };
  return tables;
}

/** Frames Kaldi makes of `sampleCount` samples (snip edges; a stretch under one frame is zero-padded to one). */
export function fbankFrameCount(sampleCount: number): number {
  return sampleCount < FRAME_LENGTH ? 1 : 1 + Math.floor((sampleCount - FRAME_LENGTH) / FRAME_SHIFT);
}

/** Log mel energies of `samples` (16 kHz mono, ±1): fbankFrameCount() frames of FBANK_BANDS values, frame-major. */
export function kaldiFbank(samples: Float32Array): Float32Array {
  const { window, bands, fft } = frontEndTables();
  const frames = fbankFrameCount(samples.length);
  const out = new Float32Array(frames * FBANK_BANDS);
  const frame = new Float64Array(FRAME_LENGTH);
  const padded = new Float64Array(FFT_SIZE);
  const power = new Float64Array(BINS);
  for (let f = 0; f < frames; f++) {
    const start = f * FRAME_SHIFT;
    let mean = 0;
    for (let n = 0; n < FRAME_LENGTH; n++) {
      const index = start + n;
      frame[n] = index < samples.length ? samples[index] * PCM_SCALE : 0;
      mean += frame[n];
    }
    mean /= FRAME_LENGTH;
    for (let n = 0; n < FRAME_LENGTH; n++) frame[n] -= mean;
    // Pre-emphasis runs backwards so each sample still sees its unmodified predecessor.
    for (let n = FRAME_LENGTH - 1; n > 0; n--) frame[n] -= PREEMPHASIS * frame[n - 1];
    frame[0] -= PREEMPHASIS * frame[0];
    for (let n = 0; n < FRAME_LENGTH; n++) padded[n] = frame[n] * window[n];
    // padded[400..511] stay zero: the frame is zero-padded to the FFT size.
    fft.power(padded, power);
    for (let band = 0; band < FBANK_BANDS; band++) {
      const { first, weights } = bands[band];
      let energy = 0;
      for (let k = 0; k < weights.length; k++) energy += weights[k] * power[first + k];
      out[f * FBANK_BANDS + band] = Math.log(Math.max(energy, FLOAT32_EPSILON));
    }
  }
  return out;
}

/** Subtracts each band's mean over all frames, in place (3D-Speaker's `mean_nor`): the encoder saw features so. */
export function removeBandMeans(fbank: Float32Array): Float32Array {
  const frames = fbank.length / FBANK_BANDS;
  for (let band = 0; band < FBANK_BANDS; band++) {
    let sum = 0;
    for (let f = 0; f < frames; f++) sum += fbank[f * FBANK_BANDS + band];
    const mean = sum / frames;
    for (let f = 0; f < frames; f++) fbank[f * FBANK_BANDS + band] -= mean;
  }
  return fbank;
}
