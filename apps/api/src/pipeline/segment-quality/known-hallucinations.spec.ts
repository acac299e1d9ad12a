import { isKnownHallucination, normalizeForHallucinationMatch } from './known-hallucinations';

describe('known hallucinations', () => {
  it.each([' Thank you.', 'Thanks for watching!', '[Music]', '♪ Music ♪', ' Subtitles by the Amara.org community', ' Gracias por ver el video.', "Merci d'avoir regardé cette vidéo !", 'Untertitel im Auftrag des ZDF für funk, 2017', ' [BLANK_AUDIO]', ' (wind howling)', ' (dramatic music) [Music]', ' ♪♪'])(
    'flags the whole-segment phrase %j',
    (text) => expect(isKnownHallucination(text)).toBe(true),
  );

  it.each([' Thank you for coming, everyone, the meeting starts now.', ' I said thank you to him.', '', ' ...', ' Music theory is fun.', ' (laughs) That was funny.', ' I think [inaudible] works.'])(
    'leaves real speech that merely contains a phrase alone: %j',
    (text) => expect(isKnownHallucination(text)).toBe(false),
  );

  it('normalizes case, brackets, spacing and surrounding punctuation', () => {
    expect(normalizeForHallucinationMatch('  [APPLAUSE]  ')).toBe('applause');
    expect(normalizeForHallucinationMatch(' ¿Gracias?')).toBe('gracias');
  });
});
