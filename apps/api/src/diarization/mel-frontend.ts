/**
 * The speaker encoder's front end: a power mel spectrogram computed exactly as Resemblyzer computes it with
 * librosa 0.10+ (`librosa.feature.melspectrogram(sr=16000, n_fft=400, hop_length=160, n_mels=40)`): periodic Hann
 * window, frames centred with zero padding, |FFT|², Slaney mel scale and Slaney area normalisation. Not a log mel: the
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

interface DftTables {
  readonly window: Float64Array;
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly mel: Float64Array[];
}

let tables: DftTables | undefined;

/** N_FFT = 400 is not a power of two; a table-driven real DFT costs ~80 k multiply-adds per frame (~1 ms per second of audio). */
function dftTables(): DftTables {
  if (tables) return tables;
  const window = Float64Array.from({ length: N_FFT }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / N_FFT));
  const cos = new Float64Array(BINS * N_FFT);
  const sin = new Float64Array(BINS * N_FFT);
  for (let k = 0; k < BINS; k++) {
    for (let n = 0; n < N_FFT; n++) {
      const angle = (2 * Math.PI * ((k * n) % N_FFT)) / N_FFT;
      cos[k * N_FFT + n] = Math.cos(angle);
      sin[k * N_FFT + n] = Math.sin(angle);
    }
  }
  tables = { window, cos, sin, mel: melFilterBank() };
  return tables;
}

/** Frames of `samples` (16 kHz mono): 1 + floor(len / HOP) frames of MEL_BANDS values, frame-major. */
export function melSpectrogram(samples: Float32Array): Float32Array {
  const { window, cos, sin, mel } = dftTables();
  const frames = 1 + Math.floor(samples.length / HOP);
  const out = new Float32Array(frames * MEL_BANDS);
  const frame = new Float64Array(N_FFT);
  const power = new Float64Array(BINS);
  const half = N_FFT / 2;
  for (let f = 0; f < frames; f++) {
    const start = f * HOP - half;
    for (let n = 0; n < N_FFT; n++) {
      const index = start + n;
      frame[n] = index >= 0 && index < samples.length ? samples[index] * window[n] : 0;
    }
    for (let k = 0; k < BINS; k++) {
      let re = 0;
      let im = 0;
      const row = k * N_FFT;
      for (let n = 0; n < N_FFT; n++) {
        re += frame[n] * cos[row + n];
        im -= frame[n] * sin[row + n];
      }
      power[k] = re * re + im * im;
    }
    for (let band = 0; band < MEL_BANDS; band++) {
      const weights = mel[band];
      let sum = 0;
      for (let k = 0; k < BINS; k++) sum += weights[k] * power[k];
      out[f * MEL_BANDS + band] = sum;
    }
  }
  return out;
}
