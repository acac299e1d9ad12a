import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MEL_BANDS, melSpectrogram } from './mel-frontend';

/** The same signal make_mel_golden.py feeds librosa, computed in float64 and rounded to float32 on both sides. */
function goldenSignal(): Float32Array {
  return Float32Array.from({ length: 8000 }, (_, n) =>
    0.3 * Math.sin((2 * Math.PI * 220 * n) / 16000) +
    0.2 * Math.sin((2 * Math.PI * 1375 * n) / 16000 + 0.5) +
    0.1 * Math.sin((2 * Math.PI * 5100 * n) / 16000) * (n / 8000),
  );
}

describe('melSpectrogram', () => {
  const golden = JSON.parse(readFileSync(path.join(__dirname, 'testing/mel-golden.json'), 'utf8')) as {
    frames: number;
    bands: number;
    values: number[];
  };

  it('matches librosa.feature.melspectrogram (Resemblyzer\'s call) on every frame and band', () => {
    const mel = melSpectrogram(goldenSignal());
    expect(mel.length / MEL_BANDS).toBe(golden.frames);
    expect(golden.bands).toBe(MEL_BANDS);
    const peak = Math.max(...golden.values);
    let worst = 0;
    golden.values.forEach((expected, i) => {
      worst = Math.max(worst, Math.abs(mel[i] - expected) / (Math.abs(expected) + 1e-6 * peak));
    });
    expect(worst).toBeLessThan(1e-3);
  });

  it('gives silence zero energy and one frame per hop plus the centred first frame', () => {
    const mel = melSpectrogram(new Float32Array(1600));
    expect(mel.length).toBe(11 * MEL_BANDS);
    expect(mel.every((v) => v === 0)).toBe(true);
  });
});
