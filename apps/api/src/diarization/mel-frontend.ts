import { MixedRadixFft } from './mixed-radix-fft';

/**
 * The speaker encoder's front end: a power mel spectrogram computed exactly as Resemblyzer computes it with
 * librosa 0.10+ (`librosa.feature.melspectrogram(sr=16000, n_fft=400, hop_length=160, n_mels=40)`): periodic Hann
 * window, frames centred with zero padding, |FFT|² (mixed-radix-fft.ts: 400 is not a power of two), Slaney mel scale and Slaney area normalisation. Not a log mel: the
 * encoder was trained on power values. A golden file from librosa pins it (mel-frontend.spec.ts).
 */
export const SAMPLE_RATE = 16000;
export const N_FFT = 400;
export const HOP = 160;
export const MEL_BANDS = 40;
const BINS = N_FFT / 2 + 1;

function hzToMel(hz: number): number {
  // Slaney: linear below 1 kHz, logarithmic above.
  const minLogHz = 1000;
  const spacing = 200 / 3;
  if (hz < minLogHz) return hz / spacing;
  return minLogHz / spacing + Math.log(hz / minLogHz) / (Math.log(6.4) / 27);
}

function melToHz(mel: number): number {
  const minLogHz = 1000;
  const spacing = 200 / 3;
  const minLogMel = minLogHz / spacing;
  if (mel < minLogMel) return mel * spacing;
  return minLogHz * Math.exp((Math.log(6.4) / 27) * (mel - minLogMel));
}

/** librosa.filters.mel(sr, n_fft, n_mels, htk=False, norm='slaney'): [band][bin]. */
function melFilterBank(): Float64Array[] {
  const fftFreqs = Array.from({ length: BINS }, (_, i) => (i * SAMPLE_RATE) / N_FFT);
  const minMel = hzToMel(0);
  const maxMel = hzToMel(SAMPLE_RATE / 2);
  const melPoints = Array.from({ length: MEL_BANDS + 2 }, (_, i) => melToHz(minMel + ((maxMel - minMel) * i) / (MEL_BANDS + 1)));
  return Array.from({ length: MEL_BANDS }, (_, band) => {
    const [lower, centre, upper] = [melPoints[band], melPoints[band + 1], melPoints[band + 2]];
    const norm = 2 / (upper - lower);
    const weights = new Float64Array(BINS);
    for (let bin = 0; bin < BINS; bin++) {
      const rising = (fftFreqs[bin] - lower) / (centre - lower);
      const falling = (upper - fftFreqs[bin]) / (upper - centre);
      weights[bin] = Math.max(0, Math.min(rising, falling)) * norm;
    }
    return weights;
  });
}

interface Tables {
  readonly window: Float64Array;
  /** Each band's non-zero weights only (a triangle covers a few bins), starting at bin `first`. */
  readonly mel: { first: number; weights: Float64Array }[];
  readonly fft: MixedRadixFft;
}

let tables: Tables | undefined;

function frontEndTables(): Tables {
  tables ??= {
    window: Float64Array.from({ length: N_FFT }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / N_FFT)),
    mel: melFilterBank().map((weights) => {
      const first = weights.findIndex((w) => w > 0);
      const last = weights.length - 1 - [...weights].reverse().findIndex((w) => w > 0);
      return { first, weights: weights.slice(first, last + 1) };
    }),
    fft: new MixedRadixFft(N_FFT),
  };
  return tables;
}

/** Frames of `samples` (16 kHz mono): 1 + floor(len / HOP) frames of MEL_BANDS values, frame-major. */
export function melSpectrogram(samples: Float32Array): Float32Array {
  const { window, mel, fft } = frontEndTables();
  const frames = 1 + Math.floor(samples.length / HOP);
  const out = new Float32Array(frames * MEL_BANDS);
  const frameRe = new Float64Array(N_FFT);
  const zeros = new Float64Array(N_FFT);
  const specRe = new Float64Array(N_FFT);
  const specIm = new Float64Array(N_FFT);
  const power = new Float64Array(BINS);
  const half = N_FFT / 2;
  for (let f = 0; f < frames; f++) {
    const start = f * HOP - half;
    for (let n = 0; n < N_FFT; n++) {
      const index = start + n;
      frameRe[n] = index >= 0 && index < samples.length ? samples[index] * window[n] : 0;
    }
    fft.transform(frameRe, zeros, specRe, specIm);
    for (let k = 0; k < BINS; k++) power[k] = specRe[k] * specRe[k] + specIm[k] * specIm[k];
    for (let band = 0; band < MEL_BANDS; band++) {
      const { first, weights } = mel[band];
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k] * power[first + k];
      out[f * MEL_BANDS + band] = sum;
    }
  }
  return out;
}
