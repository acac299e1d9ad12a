import { SILERO_REFERENCE_DEFAULTS, type SpeechRegionOptions, speechRegions } from './speech-regions';

const F = 512; // samples per frame
/** Probabilities from a compact picture: each character is one frame; '#' speech (0.9), '-' silence (0.05), '~' in between (0.4). */
const frames = (picture: string) => [...picture].map((c) => (c === '#' ? 0.9 : c === '~' ? 0.4 : 0.05));
const opts = (over: Partial<SpeechRegionOptions>): SpeechRegionOptions => ({ ...SILERO_REFERENCE_DEFAULTS, speechPadMs: 0, ...over });

describe('speechRegions (port of silero-vad 6.2.3 get_speech_timestamps_from_probs)', () => {
  it.each([
    ['nothing but silence', '----------', opts({}), []],
    ['one region, min speech 0', '--####----', opts({ minSpeechMs: 0, minSilenceMs: 0 }), [[2 * F, 6 * F]]],
    // 250 ms = 4000 samples: a 7-frame region (3584) is dropped, 8 frames (4096) kept.
    ['shorter than min speech is dropped', '-#######-----', opts({ minSilenceMs: 0 }), []],
    ['longer than min speech is kept', '-########-----', opts({ minSilenceMs: 0 }), [[F, 9 * F]]],
    // 100 ms = 1600 samples: a 3-frame gap (1536) keeps one region, a 5-frame gap splits it.
    ['a pause shorter than min silence does not split', '##########---##########------', opts({}), [[0, 23 * F]]],
    ['a pause longer than min silence splits', '##########-----##########------', opts({}), [[0, 10 * F], [15 * F, 25 * F]]],
    // Between threshold and neg threshold (0.35) a frame neither starts nor ends speech.
    ['frames between the thresholds keep speech going', '########~~~~~~~~~~######-----', opts({}), [[0, 24 * F]]],
    ['and do not start it', '~~~~~~~~~~~~~~~~~~~~', opts({ minSpeechMs: 0 }), []],
    ['an explicit neg threshold ends speech earlier', '########~~~~~~~~~~######-----', opts({ negThreshold: 0.45, minSpeechMs: 0 }), [[0, 8 * F], [18 * F, 24 * F]]],
    ['speech running to the end closes at the last sample', '----##########', opts({}), [[4 * F, 14 * F - 100]]],
  ])('%s', (_name, picture, options, expected) => {
    const probabilities = frames(picture);
    const audioSamples = picture === '----##########' ? probabilities.length * F - 100 : probabilities.length * F;
    expect(speechRegions(probabilities, audioSamples, options).map((r) => [r.start, r.end])).toEqual(expected);
  });

  it('pads each side by speechPadMs, and splits a narrower gap in half between neighbours', () => {
    // pad 30 ms = 480 samples; gap between the first two regions: 5 frames (2560) > 960 → full pad;
    const probabilities = frames('--##########-----##########-##########--');
    const regions = speechRegions(probabilities, probabilities.length * F, opts({ speechPadMs: 30, minSilenceMs: 0 }));
    expect(regions).toEqual([
      { start: 2 * F - 480, end: 12 * F + 480 },
      // gap of one frame (512) < 960: each side gets half of it.
      { start: 17 * F - 480, end: 27 * F + 256 },
      { start: 28 * F - 256, end: 38 * F + 480 },
    ]);
  });

  it('clamps padding at both ends of the audio', () => {
    const probabilities = frames('##########');
    expect(speechRegions(probabilities, 10 * F, opts({ speechPadMs: 300 }))).toEqual([{ start: 0, end: 10 * F }]);
  });

  it('cuts a region longer than maxSpeechSeconds at its longest inner pause', () => {
    // 1 s max: 16000 − 512 samples of speech at most. Two short pauses (4 and 6 frames) under min silence 1 s.
    const picture = `${'#'.repeat(8)}----${'#'.repeat(8)}------${'#'.repeat(10)}${'-'.repeat(40)}`;
    const regions = speechRegions(frames(picture), picture.length * F, opts({ maxSpeechSeconds: 1, minSilenceMs: 1000 }));
    // The longest pause (frames 20-25) ends the first region; the next starts where speech resumes and, the silence
    // after it being shorter than min silence, is cut again where it reaches the maximum (as the reference does).
    expect(regions.map((r) => [r.start / F, r.end / F])).toEqual([[0, 20], [26, 57]]);
  });

  it('cuts at the frame that reaches maxSpeechSeconds when the region has no pause', () => {
    const picture = '#'.repeat(80);
    const regions = speechRegions(frames(picture), 80 * F, opts({ maxSpeechSeconds: 1 }));
    // Exceeding 15488 samples happens at frame 31 (15872): the cut is there, then speech restarts on the next frame.
    expect(regions.map((r) => [r.start / F, r.end / F])).toEqual([[0, 31], [32, 63], [64, 80]]);
  });
});
