import { cutInPause, regionsInWindow } from './pause-cuts';

const S = 16_000;
const r = (a: number, b: number) => ({ start: a * S, end: b * S });

describe('cutInPause', () => {
  // Speech 0-28 s, 29-58 s, 61-95 s (pauses 28-29 s and 58-61 s); nominal cut at 60 s.
  const regions = [r(0, 28), r(29, 58), r(61, 95)];

  it.each([
    ['the longest pause in reach, 700 ms before speech resumes (its middle is further back)', 60, [6], regions, 60.3],
    ['a shorter pause, at its middle, when the longest is out of reach', 30, [3], regions, 28.5],
    ['the longest pause of a wider reach when the first has none', 45, [3, 20], regions, 60.3],
    ['not a pause whose cut point is out of reach', 59, [1], [r(0, 50), r(70, 95)], undefined],
    ['nothing when speech runs through the whole reach', 40, [5], regions, undefined],
    ['the nearest of two equal pauses', 52, [10], [r(0, 44), r(45, 55), r(56, 95)], 55.5],
    ['the trailing silence of the recording', 90, [10], [r(0, 88)], 99.3],
    ['else the nearest join of two touching regions (a max-speech cut)', 31, [3], [r(0, 30), r(30, 55), r(57, 95)], 30],
  ])('%s', (_name, nominal, reaches, given, expected) => {
    const cut = cutInPause(nominal * S, reaches.map((x) => x * S), given, 100 * S);
    expect(cut === undefined ? undefined : cut / S).toBe(expected);
  });

  it('never cuts at the very start or end of the recording', () => {
    expect(cutInPause(2 * S, [5 * S], [r(3, 10)], 10 * S)).toBe(2.3 * S);
    expect(cutInPause(9 * S, [5 * S], [r(0, 10)], 10 * S)).toBeUndefined();
  });
});

describe('regionsInWindow', () => {
  it('keeps the regions overlapping the window, clipped and made relative to its start', () => {
    expect(regionsInWindow([r(0, 28), r(29, 58), r(61, 95)], 30 * S, 70 * S)).toEqual([r(0, 28), r(31, 40)]);
  });
});
