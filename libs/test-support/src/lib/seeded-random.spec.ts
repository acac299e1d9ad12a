import { SeededNormal, toFloat16 } from './seeded-random';

describe('toFloat16', () => {
  it.each([
    [1, 0x3c00],
    [-2, 0xc000],
    [0, 0x0000],
    [0.1, 0x2e66],
    [65504, 0x7bff], // largest finite half
    [1e5, 0x7c00], // overflow → +inf
    [-Infinity, 0xfc00],
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -26, 0x0000], // underflow → 0
    [1 + 2 ** -11, 0x3c00], // exact tie rounds to even (down)
    [1 + 3 * 2 ** -11, 0x3c02], // exact tie rounds to even (up)
  ])('%p → 0x%s', (value, expected) => {
    expect(toFloat16(new Float32Array([value]))[0]).toBe(expected);
  });

  it('keeps NaN a NaN', () => {
    const h = toFloat16(new Float32Array([NaN]))[0];
    expect(h & 0x7c00).toBe(0x7c00);
    expect(h & 0x03ff).not.toBe(0);
  });
});

describe('SeededNormal', () => {
  const sample = (seed: number, n: number, std = 1) => {
    const out = new Float32Array(n);
    new SeededNormal(seed).fill(out, std);
    return out;
  };

  it('is reproducible for a seed and differs between seeds', () => {
    expect(sample(7, 1000)).toEqual(sample(7, 1000));
    expect(sample(7, 1000)).not.toEqual(sample(8, 1000));
  });

  it('draws from N(0, std²)', () => {
    const xs = sample(1, 200_000, 0.02);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.0005);
    expect(std).toBeCloseTo(0.02, 3);
  });

  it('gives the same stream whether filled in one go or in odd-sized pieces', () => {
    const whole = sample(3, 101);
    const rng = new SeededNormal(3);
    const a = new Float32Array(37);
    const b = new Float32Array(64);
    rng.fill(a, 1);
    rng.fill(b, 1);
    expect(Float32Array.from([...a, ...b])).toEqual(whole);
  });
});
