import { deltaText, LocalAgreement } from './local-agreement';

describe('LocalAgreement (LocalAgreement-2)', () => {
  it('commits the words two consecutive hypotheses agree on, and only new ones', () => {
    const policy = new LocalAgreement();
    expect(policy.hypothesis('And so my')).toEqual([]);
    expect(policy.hypothesis('And so, my fellow')).toEqual(['And', 'so,', 'my']);
    expect(policy.hypothesis('And so, my fellow Americans')).toEqual(['fellow']);
    expect(policy.hypothesis('And so, my fellow Americans, ask not')).toEqual(['Americans,']);
    expect(policy.committedWords).toEqual(['And', 'so,', 'my', 'fellow', 'Americans,']);
  });

  it('never takes back a committed word: a hypothesis that disagrees with it commits nothing', () => {
    const policy = new LocalAgreement();
    policy.hypothesis('the cat sat');
    expect(policy.hypothesis('the cat sat on')).toEqual(['the', 'cat', 'sat']);
    expect(policy.hypothesis('a cat sat on the mat')).toEqual([]);
    expect(policy.hypothesis('the cat sat on the mat')).toEqual([]);
    expect(policy.hypothesis('the cat sat on the mat today')).toEqual(['on', 'the', 'mat']);
    expect(policy.committedWords).toEqual(['the', 'cat', 'sat', 'on', 'the', 'mat']);
  });

  it('stops at the first disagreement between the two latest hypotheses', () => {
    const policy = new LocalAgreement();
    policy.hypothesis('ask not what your');
    expect(policy.hypothesis('ask not what you')).toEqual(['ask', 'not', 'what']);
  });

  it('finish() appends the rest of the final text after the committed words', () => {
    const policy = new LocalAgreement();
    policy.hypothesis('ask not what');
    policy.hypothesis('ask not what your country');
    expect(policy.finish('Ask not what your country can do for you.')).toBe(' your country can do for you.');
  });

  it('finish() appends punctuation the final adds to the last committed word, and nothing when the final adds nothing', () => {
    const policy = new LocalAgreement();
    policy.hypothesis('ask your country');
    policy.hypothesis('ask your country');
    expect(policy.finish('ask your country.')).toBe('.');
    const quiet = new LocalAgreement();
    expect(quiet.finish('Hello there.')).toBe('Hello there.');
    expect(new LocalAgreement().finish('')).toBe('');
  });

  it('deltaText joins words with one space, none before the first word of a turn', () => {
    expect(deltaText(['And', 'so,'], 0)).toBe('And so,');
    expect(deltaText(['my'], 2)).toBe(' my');
    expect(deltaText([], 3)).toBe('');
  });
});
