import { MixedRadixFft } from './mixed-radix-fft';

function directDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const angle = (-2 * Math.PI * ((k * t) % n)) / n;
      outRe[k] += re[t] * Math.cos(angle) - im[t] * Math.sin(angle);
      outIm[k] += re[t] * Math.sin(angle) + im[t] * Math.cos(angle);
    }
  }
  return [outRe, outIm];
}

describe('MixedRadixFft', () => {
  it.each([400, 16, 25, 60, 7, 1])('equals the direct DFT for n = %i', (n) => {
    let seed = n;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    const re = Float64Array.from({ length: n }, random);
    const im = Float64Array.from({ length: n }, random);
    const [wantRe, wantIm] = directDft(re, im);
    const gotRe = new Float64Array(n);
    const gotIm = new Float64Array(n);
    new MixedRadixFft(n).transform(re, im, gotRe, gotIm);
    for (let k = 0; k < n; k++) {
      expect(gotRe[k]).toBeCloseTo(wantRe[k], 9);
      expect(gotIm[k]).toBeCloseTo(wantIm[k], 9);
    }
  });

  it('refuses a length with a large prime factor', () => {
    expect(() => new MixedRadixFft(22)).toThrow('prime factor above 7');
  });
});
