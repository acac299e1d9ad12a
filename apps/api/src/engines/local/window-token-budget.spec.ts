import { repeatsItself } from './repeats-itself';
import { windowTokenBudget } from './window-token-budget';

describe('windowTokenBudget', () => {
  it('grows with the audio: 16 tokens and 12 a second', () => {
    expect(windowTokenBudget(0)).toBe(16);
    expect(windowTokenBudget(1.94)).toBe(40);
    expect(windowTokenBudget(10)).toBe(136);
  });

  it('is absent where whisper.cpp stops a window first (~220 tokens)', () => {
    expect(windowTokenBudget(16.9)).toBe(219);
    expect(windowTokenBudget(17)).toBeUndefined();
    expect(windowTokenBudget(30)).toBeUndefined();
  });

  it('leaves room for fast speech that the loop check passes', () => {
    // The loop check allows 4 + 6 words a second; at ~1.5 tokens a word plus timestamps the budget is wider.
    for (const seconds of [1, 2, 5, 10]) {
      const words = Math.floor(4 + 6 * seconds);
      const fast = Array.from({ length: words }, (_, i) => `word${i}`).join(' ');
      expect(repeatsItself(fast, seconds)).toBe(false);
      expect(windowTokenBudget(seconds)).toBeGreaterThanOrEqual(Math.ceil(words * 1.2));
    }
  });
});
