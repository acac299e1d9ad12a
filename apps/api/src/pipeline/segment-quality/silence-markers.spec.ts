import type { TranscriptSegment } from '@speech/contracts';
import { isKnownHallucination } from './known-hallucinations';
import { isSilenceMarker, withoutSilenceMarkers } from './silence-markers';

describe('silence markers', () => {
  it.each([' [BLANK_AUDIO]', '[blank audio]', ' (silence)', ' [ Silence ]', '[SILENCE.]', ' [no speech]', ' (Pause)', ' [BLANK_AUDIO] [BLANK_AUDIO]', '(silent)'])(
    'recognizes the whole-segment marker %j',
    (text) => {
      expect(isSilenceMarker(text)).toBe(true);
      // Every marker is also a known hallucination, so without VAD it is flagged rather than dropped.
      expect(isKnownHallucination(text)).toBe(true);
    },
  );

  it.each([' [Music]', ' (laughs)', ' (wind howling)', ' ♪♪', ' [inaudible]', ' Silence, please.', ' [BLANK_AUDIO] Hello there.', ' The silence was long.', '', ' Thank you.'])(
    'leaves sounds, speech and text with words in it alone: %j',
    (text) => expect(isSilenceMarker(text)).toBe(false),
  );

  it('drops only the segments that are nothing but a marker, with their words', () => {
    const segments: TranscriptSegment[] = [
      { id: 0, start: 1, end: 2.5, text: ' Press one.', words: [{ word: ' Press', start: 1, end: 1.6 }, { word: ' one.', start: 1.6, end: 2.5 }] },
      { id: 1, start: 2.5, end: 4, text: ' [BLANK_AUDIO]', words: [{ word: ' [BLANK_AUDIO]', start: 2.5, end: 4 }] },
      { id: 2, start: 4, end: 5, text: ' [Music]' },
    ];
    expect(withoutSilenceMarkers(segments).map((s) => s.text)).toEqual([' Press one.', ' [Music]']);
  });
});
