import { LocalAgreement } from './local-agreement';

describe('LocalAgreement (LocalAgreement-2)', () => {
  it('commits the words two consecutive hypotheses agree on, and only new ones', () => {
    const policy = new LocalAgreement();
    expect(policy.hypothesis('And so my')).toBe('');
    expect(policy.hypothesis('And so, my fellow')).toBe('And so, my');
    expect(policy.hypothesis('And so, my fellow Americans')).toBe(' fellow');
    expect(policy.hypothesis('And so, my fellow Americans, ask not')).toBe(' Americans,');
    expect(policy.committedWords).toEqual(['And', 'so,', 'my', 'fellow', 'Americans,']);
  });

  it('never takes back a committed word: a hypothesis that disagrees with it commits nothing', () => {
    const policy = new LocalAgreement();
    policy.hypothesis('the cat sat');
    expect(policy.hypothesis('the cat sat on')).toBe('the cat sat');
    expect(policy.hypothesis('a cat sat on the mat')).toBe('');
    expect(policy.hypothesis('the cat sat on the mat')).toBe('');
    expect(policy.hypothesis('the cat sat on the mat today')).toBe(' on the mat');
    expect(policy.committedWords).toEqual(['the', 'cat', 'sat', 'on', 'the', 'mat']);
  });

  it('stops at the first disagreement between the two latest hypotheses', () => {
    const policy = new LocalAgreement();
    policy.hypothesis('ask not what your');
    expect(policy.hypothesis('ask not what you')).toBe('ask not what');
  });

  // The two latest first deltas of bench/realtime.ts (one session, 8 rounds), as Whisper wrote them turn by turn.
  it('agrees on the spelling when Whisper splits a word differently, in the fewer-piece form', () => {
    const policy = new LocalAgreement();
    expect(policy.hypothesis('password')).toBe('');
    expect(policy.hypothesis('Pass word in, correct.')).toBe('password');
    expect(policy.hypothesis('password incorrect')).toBe(' incorrect');
    expect(policy.hypothesis('Password incorrect, please add your')).toBe('');
    expect(policy.hypothesis('Password incorrect. Please enter your password.')).toBe(' Please');
    expect(policy.finish('Password incorrect, please enter your password followed by the pound key.')).toBe(' enter your password followed by the pound key.');
  });

  it('splits hyphenated words at the hyphen, and keeps the hyphen when both sides wrote it', () => {
    const halfHeard = new LocalAgreement();
    halfHeard.hypothesis('Agent-law.');
    expect(halfHeard.hypothesis('Agent Log.')).toBe('Agent');
    expect(halfHeard.hypothesis('Agent Log Daff')).toBe(' Log');
    const hyphenated = new LocalAgreement();
    hyphenated.hypothesis('Call-Forward on');
    expect(hyphenated.hypothesis('Call-Forward on Busy.')).toBe('Call-Forward on');
    expect(hyphenated.finish('Call-Forward on Busy.')).toBe(' Busy.');
  });

  it('takes an empty decode as no hypothesis: the ones on either side of it still agree', () => {
    const policy = new LocalAgreement();
    policy.hypothesis('Has left?');
    expect(policy.hypothesis('')).toBe('');
    expect(policy.hypothesis('Has left the comfort')).toBe('Has left');
    expect(policy.hypothesis('Has left the conference.')).toBe(' the');
  });

  it('does not let one run of pieces swallow unrelated text: a run spells the same letters on both sides', () => {
    const policy = new LocalAgreement();
    policy.hypothesis('a part of it');
    expect(policy.hypothesis('apart from')).toBe('apart');
    expect(policy.hypothesis('apart from that')).toBe(' from');
    expect(policy.hypothesis('apart from the')).toBe('');
    expect(policy.committedWords).toEqual(['apart', 'from']);
  });

  it('finish() appends the rest of the final text after the committed words', () => {
    const policy = new LocalAgreement();
    policy.hypothesis('ask not what');
    policy.hypothesis('ask not what your country');
    expect(policy.finish('Ask not what your country can do for you.')).toBe(' your country can do for you.');
  });

  it('finish() completes a committed word the final spells on, with no space: punctuation, or the rest of a split word', () => {
    const policy = new LocalAgreement();
    policy.hypothesis('ask your country');
    policy.hypothesis('ask your country');
    expect(policy.finish('ask your country.')).toBe('.');
    const split = new LocalAgreement();
    split.hypothesis('Pass word');
    split.hypothesis('Pass w');
    expect(split.committedWords).toEqual(['Pass']);
    expect(split.finish('Password incorrect.')).toBe('word incorrect.');
    const quiet = new LocalAgreement();
    expect(quiet.finish('Hello there.')).toBe('Hello there.');
    expect(new LocalAgreement().finish('')).toBe('');
  });

  it('finish() keeps the committed words when the final disagrees with them and appends only its words beyond them', () => {
    const policy = new LocalAgreement();
    policy.hypothesis('the cat sat');
    policy.hypothesis('the cat sat on');
    expect(policy.finish('A cat sat on the mat.')).toBe(' on the mat.');
  });
});
