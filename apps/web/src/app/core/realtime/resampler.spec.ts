import { Resampler } from './resampler';

function sine(frequency: number, rate: number, seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * frequency * i) / rate));
}

/** Feeds the signal in 128-sample quanta, as an AudioWorklet delivers it. */
function resampleInQuanta(resampler: Resampler, input: Float32Array): Float32Array {
  const parts: number[] = [];
  for (let start = 0; start < input.length; start += 128) parts.push(...resampler.push(input.subarray(start, start + 128)));
  return Float32Array.from(parts);
}

/** Amplitude of `frequency` in the signal (single-bin DFT), skipping the kernel's start-up. */
function amplitudeAt(signal: Float32Array, frequency: number, rate: number): number {
  const body = signal.subarray(200, signal.length - 200);
  let re = 0;
  let im = 0;
  body.forEach((value, i) => {
    re += value * Math.cos((2 * Math.PI * frequency * i) / rate);
    im += value * Math.sin((2 * Math.PI * frequency * i) / rate);
  });
  return (2 * Math.hypot(re, im)) / body.length;
}

function rms(signal: Float32Array): number {
  const body = signal.subarray(200, signal.length - 200);
  return Math.sqrt(body.reduce((sum, v) => sum + v * v, 0) / body.length);
}

describe('Resampler', () => {
  it.each([48000, 44100, 16000])('keeps a 1 kHz tone at 1 kHz and its level when going %i Hz → 24 kHz', (rate) => {
    const output = resampleInQuanta(new Resampler(rate, 24000), sine(1000, rate, 1));
    expect(Math.abs(output.length - 24000)).toBeLessThanOrEqual(64); // the kernel's look-ahead is held back
    expect(amplitudeAt(output, 1000, 24000)).toBeGreaterThan(0.49);
    expect(amplitudeAt(output, 1000, 24000)).toBeLessThan(0.51);
    // nothing leaks to a neighbouring frequency
    expect(amplitudeAt(output, 1300, 24000)).toBeLessThan(0.005);
  });

  it('suppresses tones above the output Nyquist by at least 60 dB instead of aliasing them (48 kHz → 24 kHz)', () => {
    for (const frequency of [13500, 15000, 18000, 22000]) {
      const output = resampleInQuanta(new Resampler(48000, 24000), sine(frequency, 48000, 0.5));
      const aliased = 24000 - frequency; // where a naive decimator would put it
      expect(amplitudeAt(output, aliased, 24000)).toBeLessThan(0.5 * 1e-3);
      expect(rms(output)).toBeLessThan(0.5 * 1e-3);
    }
  });

  it('gives the same output whatever the chunking', () => {
    const input = sine(440, 48000, 0.2);
    const whole = new Resampler(48000, 24000).push(input);
    const chunked = resampleInQuanta(new Resampler(48000, 24000), input);
    expect(chunked.length).toBe(whole.length);
    chunked.forEach((value, i) => expect(value).toBeCloseTo(whole[i], 6));
  });

  it('rejects non-positive rates', () => {
    expect(() => new Resampler(0, 24000)).toThrow(RangeError);
  });
});
