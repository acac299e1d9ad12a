import { repeatsItself } from './repeats-itself';

describe('repeatsItself', () => {
  it('finds a sentence written twice, whatever the punctuation and case', () => {
    expect(repeatsItself('Message from extension. Message from extension.', 1.8)).toBe(true);
    expect(repeatsItself('press one to enter a number. Press 1 to enter a number.', 1.9)).toBe(true);
  });

  it('finds a word looping on itself', () => {
    expect(repeatsItself('no no no no', 3)).toBe(true);
  });

  it('finds more words than the audio can hold', () => {
    expect(repeatsItself('one two three four five six seven eight nine ten eleven', 1)).toBe(true);
  });

  it('passes ordinary speech, including short repeated words and phrases', () => {
    expect(repeatsItself('Press 1 to pre-pen the message or 2 to forward the message without pre-pending.', 5.8)).toBe(false);
    expect(repeatsItself('yes yes', 0.5)).toBe(false);
    expect(repeatsItself('', 2)).toBe(false);
  });
});
