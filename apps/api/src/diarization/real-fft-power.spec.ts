import { RealFftPower } from './real-fft-power';

function directPower(frame: Float64Array): Float64Array {
  const n = frame.length;
  return Float64Array.from({ length: n / 2 }, (_, k) => {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      re += frame[t] * Math.cos((-2 * Math.PI * k * t) / n);
      im += frame[t] * Math.sin((-2 * Math.PI * k * t) / n);
    }
    return re * re + im * im;
  });
}

describe('RealFftPower', () => {
  it.each([8, 64, 512])('equals a direct DFT power spectrum on a %i-point frame', (size) => {
    let seed = 7;
    const frame = Float64Array.from({ length: size }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 1000);
    const expected = directPower(frame);
    const actual = new Float64Array(size / 2);
    new RealFftPower(size).power(frame, actual);
    const peak = Math.max(...expected);
    expected.forEach((value, k) => expect(Math.abs(actual[k] - value)).toBeLessThan(1e-9 * peak));
  });

  it('refuses sizes that are not powers of two', () => {
    expect(() => new RealFftPower(400)).toThrow(/power of two/);
  });
});
