import { repeatsItself } from './repeats-itself';

describe('repeatsItself', () => {
  it('finds a sentence written twice, whatever the punctuation and case', () => {
    expect(repeatsItself('Message from extension. Message from extension.', 1.8)).toBe(true);
    expect(repeatsItself('press one to enter a number. Press 1 to enter a number.', 1.9)).toBe(true);
  });

  it('finds a sentence said again after a word or two', () => {
    expect(repeatsItself('Message from extension. The message from extension.', 2)).toBe(true);
    expect(repeatsItself('Press 2 to change folders. Press 3 for options. Press 2 to change folders.', 7.2)).toBe(true);
  });

  it('passes a phrase a long turn says twice, far apart', () => {
    const menu =
      'Press 1 to list users currently in the conference. 2 to kick all non-administrator users. 3 to mute or unmute all non-administrator users. 4 to record this conference.';
    expect(repeatsItself(menu, 17)).toBe(false);
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
