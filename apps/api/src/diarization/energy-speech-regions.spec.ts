import { readFileSync } from 'node:fs';
import { decodeMono16k, parseRttm, speakerAssets, speechUnion } from '@speech/test-support';
import { energySpeechRegions } from './energy-speech-regions';
import { overlap } from './speech-span';

describe('energySpeechRegions', () => {
  /** 1 s of faint noise, 1 s of a loud 200 Hz tone, 0.1 s gap, 0.5 s tone, 1 s noise, a 50 ms click, 0.5 s noise. */
  function synthetic(): Float32Array {
    const parts: Array<[number, boolean]> = [[1, false], [1, true], [0.1, false], [0.5, true], [1, false], [0.05, true], [0.5, false]];
    const out: number[] = [];
    let seed = 1;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.002;
    for (const [seconds, loud] of parts) {
      for (let i = 0; i < Math.round(seconds * 16000); i++) out.push(noise() + (loud ? 0.3 * Math.sin((2 * Math.PI * 200 * out.length) / 16000) : 0));
    }
    return Float32Array.from(out);
  }

  it('finds loud stretches against the noise floor, bridges short pauses, drops clicks, pads a little', () => {
    const regions = energySpeechRegions(synthetic());
    expect(regions).toHaveLength(1);
    expect(regions[0]?.start).toBeCloseTo(0.95, 1);
    expect(regions[0]?.end).toBeCloseTo(2.65, 1);
  });

  it('silence has no regions, and nothing breaks on empty input', () => {
    expect(energySpeechRegions(new Float32Array(16000))).toEqual([]);
    expect(energySpeechRegions(new Float32Array(0))).toEqual([]);
  });

  it('covers the real speech of the pyannote sample (reference RTTM) with little extra', () => {
    const assets = speakerAssets();
    const truth = speechUnion(parseRttm(readFileSync(assets.sampleRttm, 'utf8')));
    const regions = energySpeechRegions(decodeMono16k(assets.sampleWav));
    const speech = truth.reduce((sum, t) => sum + t.end - t.start, 0);
    const covered = truth.reduce((sum, t) => sum + regions.reduce((s, r) => s + overlap(t, r), 0), 0);
    const found = regions.reduce((sum, r) => sum + r.end - r.start, 0);
    // Measured: 98.3 % of the reference speech covered; what is found is 99.8 % reference speech.
    expect(covered / speech).toBeGreaterThan(0.95);
    expect(covered / found).toBeGreaterThan(0.95);
  });
});
