import { PolyphaseResampler } from './polyphase-resampler';

const sine = (hz: number, rate: number, seconds: number, phase = 0) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate + phase));

const rms = (samples: Float32Array) => Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length);

function resampleAll(input: Float32Array, from: number, to: number, chunk = input.length): Float32Array {
  const resampler = new PolyphaseResampler(from, to);
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += chunk) parts.push(resampler.push(input.subarray(i, i + chunk)));
  parts.push(resampler.flush());
  const out = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

describe('PolyphaseResampler', () => {
  it.each([
    [24_000, 16_000, 1_000],
    [24_000, 16_000, 5_000],
    [8_000, 16_000, 1_000],
    [8_000, 16_000, 3_300],
  ])('%i → %i Hz: a %i Hz tone comes out as the same tone at the new rate (error < 0.2 %% of full scale)', (from, to, hz) => {
    const out = resampleAll(sine(hz, from, 1), from, to);
    expect(out.length).toBe(to);
    const expected = sine(hz, to, 1);
    // Away from the edges, where the recording starts and stops.
    let worst = 0;
    for (let i = 100; i < out.length - 100; i += 1) worst = Math.max(worst, Math.abs((out[i] as number) - (expected[i] as number)));
    expect(worst).toBeLessThan(0.002);
  });

  it('24 → 16 kHz removes what 16 kHz cannot hold: a 10 kHz tone (it would alias to 6 kHz) is at least 60 dB down', () => {
    const out = resampleAll(sine(10_000, 24_000, 1), 24_000, 16_000);
    const attenuation = 20 * Math.log10(rms(out.subarray(200, -200)) / rms(sine(10_000, 24_000, 1)));
    expect(attenuation).toBeLessThan(-60);
  });

  it('any chunking gives the same samples as one pass (state carries over between pushes)', () => {
    const input = Float32Array.from({ length: 24_000 }, (_, i) => Math.sin(i * 0.01) * Math.cos(i * 0.0007));
    const whole = resampleAll(input, 24_000, 16_000);
    for (const chunk of [1, 7, 480, 4_801]) expect(resampleAll(input, 24_000, 16_000, chunk)).toEqual(whole);
  });

  it('keeps a bounded history however long the stream', () => {
    const resampler = new PolyphaseResampler(24_000, 16_000);
    let produced = 0;
    for (let i = 0; i < 600; i += 1) produced += resampler.push(new Float32Array(480)).length;
    expect(produced).toBeGreaterThan(600 * 320 - 40);
    expect((resampler as unknown as { pending: Float32Array }).pending.length).toBeLessThan(100);
  });
});
