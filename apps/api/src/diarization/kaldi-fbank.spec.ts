import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FBANK_BANDS, fbankFrameCount, kaldiFbank, removeBandMeans } from './kaldi-fbank';

/** The signal testing/make_fbank_golden.py feeds the Python reference. */
function goldenSignal(length: number): Float32Array {
  return Float32Array.from({ length }, (_, n) =>
    0.3 * Math.sin((2 * Math.PI * 220 * n) / 16000) +
    0.2 * Math.sin((2 * Math.PI * 1375 * n) / 16000 + 0.5) +
    0.1 * Math.sin((2 * Math.PI * 5100 * n) / 16000) * (n / length),
  );
}

describe('kaldiFbank', () => {
  const golden = JSON.parse(readFileSync(path.join(__dirname, 'testing/kaldi-fbank-golden.json'), 'utf8')) as Record<string, { frames: number; values: number[] }>;

  it.each([8000, 300])('matches the Python reference (the one the ONNX export is checked with) on every frame and band, %i samples', (length) => {
    const expected = golden[String(length)];
    const fbank = kaldiFbank(goldenSignal(length));
    expect(fbank.length / FBANK_BANDS).toBe(expected.frames);
    // Log energies: an absolute bound (a relative error of 1e-4 in energy is 1e-4 here).
    const worst = expected.values.reduce((max, value, i) => Math.max(max, Math.abs(fbank[i] - value)), 0);
    expect(worst).toBeLessThan(2e-3);
  });

  it('counts frames as Kaldi does with snipped edges, and gives a stretch shorter than one frame one frame', () => {
    expect([0, 399, 400, 559, 560, 16000].map(fbankFrameCount)).toEqual([1, 1, 1, 1, 2, 98]);
  });

  it('floors silence at float32 epsilon instead of -Infinity', () => {
    const fbank = kaldiFbank(new Float32Array(1600));
    expect(fbank.every((v) => Math.abs(v - Math.log(2 ** -23)) < 1e-4)).toBe(true);
  });

  it('does not change with loudness once band means are removed (why diarization needs no gain rule)', () => {
    // Tones plus broadband noise, as in speech: pure tones leave bands near float32 rounding noise, which does scale.
    let seed = 1;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.02;
    const loud = goldenSignal(8000).map((x) => x + noise());
    const a = removeBandMeans(kaldiFbank(loud));
    const b = removeBandMeans(kaldiFbank(loud.map((x) => x * 0.05)));
    const worst = a.reduce((max, value, i) => Math.max(max, Math.abs(value - b[i])), 0);
    expect(worst).toBeLessThan(1e-3);
  });
});
