import { A_DIARIZED_RESULT, A_RESULT } from '../../../testing/fixtures';
import { legendSpeakers, SPEAKER_PALETTE, speakerColour, speakersInOrder } from './speaker-palette';

/** WCAG 2 contrast ratio of two #RRGGBB colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((at) => {
      const c = parseInt(hex.slice(at, at + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

describe('speaker palette', () => {
  it('orders speakers by first appearance, not by label', () => {
    expect(speakersInOrder(A_DIARIZED_RESULT)).toEqual(['B', 'A']);
    expect(speakersInOrder(A_RESULT)).toEqual([]);
    const wordsOnly = { ...A_RESULT, words: [{ word: 'x', start: 0, end: 1, speaker: 'Z' }, { word: 'y', start: 1, end: 2, speaker: 'Y' }] };
    expect(speakersInOrder(wordsOnly)).toEqual(['Z', 'Y']);
  });

  it('keeps every colour when speakers are renamed', () => {
    const before = legendSpeakers(A_DIARIZED_RESULT, {});
    const after = legendSpeakers(A_DIARIZED_RESULT, { B: 'Bob', A: 'Alice' });
    expect(before.map((s) => [s.id, s.name])).toEqual([['B', 'B'], ['A', 'A']]);
    expect(after.map((s) => [s.id, s.name])).toEqual([['B', 'Bob'], ['A', 'Alice']]);
    expect(after.map((s) => s.colour)).toEqual(before.map((s) => s.colour));
    expect(after[0].colour).toBe(SPEAKER_PALETTE[0]);
  });

  it('gives distinct colours to the first eight speakers and repeats after', () => {
    const backgrounds = SPEAKER_PALETTE.map((c) => c.background.toLowerCase());
    expect(new Set(backgrounds).size).toBe(8);
    expect(speakerColour(8)).toBe(speakerColour(0));
    expect(speakerColour(11)).toBe(speakerColour(3));
  });

  it('keeps the label text at WCAG AA contrast (4.5:1) on every colour', () => {
    for (const { background, text } of SPEAKER_PALETTE) expect(contrast(background, text)).toBeGreaterThanOrEqual(4.5);
  });
});
