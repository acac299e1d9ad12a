import { AudioWindow } from './audio-window';

const ramp = (from: number, count: number) => Float32Array.from({ length: count }, (_, i) => from + i);

describe('AudioWindow', () => {
  it('addresses samples by their absolute number across appends and drops', () => {
    const window = new AudioWindow();
    window.append(ramp(0, 10_000));
    window.append(ramp(10_000, 20_000));
    expect(window.end).toBe(30_000);
    expect(Array.from(window.slice(9_998, 10_002))).toEqual([9_998, 9_999, 10_000, 10_001]);
    window.dropBefore(25_000);
    expect(window.start).toBe(25_000);
    expect(Array.from(window.slice(24_990, 25_002))).toEqual([25_000, 25_001]);
    window.append(ramp(30_000, 5));
    expect(Array.from(window.slice(29_999, 40_000))).toEqual([29_999, 30_000, 30_001, 30_002, 30_003, 30_004]);
  });

  it('clear() empties it and keeps the numbering; memory shrinks back after a long stretch', () => {
    const window = new AudioWindow();
    window.append(new Float32Array(16_000 * 30));
    window.clear();
    expect(window.start).toBe(16_000 * 30);
    expect(window.slice(0, 16_000 * 31).length).toBe(0);
    expect((window as unknown as { data: Float32Array }).data.length).toBeLessThanOrEqual(32_000);
  });
});
