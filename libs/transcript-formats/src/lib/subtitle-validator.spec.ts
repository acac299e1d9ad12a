import { SUBTITLE_DEFAULTS } from './subtitle-options';
import { validateSubtitles } from './subtitle-validator';

const rules = { ...SUBTITLE_DEFAULTS, maxLineWidth: 20, maxLineCount: 2, maxCueDuration: 3, minCueGap: 0.1 };

describe('validateSubtitles', () => {
  it('accepts a file that obeys the rules', () => {
    const srt = '1\n00:00:00,000 --> 00:00:01,000\nshort line\nand another\n\n2\n00:00:01,100 --> 00:00:04,100\n&amp; <i>tags</i> do not count\n';
    expect(validateSubtitles(srt, 'srt', rules)).toEqual([]);
  });

  it('names every broken rule with its cue', () => {
    const srt = [
      '1\n00:00:01,000 --> 00:00:01,000\nzero length',
      '2\n00:00:01,050 --> 00:00:05,000\ntoo close and too long',
      '3\n00:00:06,000 --> 00:00:07,000\none\ntwo\nthree',
      '5\n00:00:08,000 --> 00:00:09.000\nwrong number and dot',
    ].join('\n\n');
    expect(validateSubtitles(srt, 'srt', rules).map(({ cue, rule }) => [cue, rule])).toEqual([
      [4, 'syntax'],
      [4, 'syntax'],
      [1, 'zero-length'],
      [2, 'duration'],
      [2, 'gap'],
      [2, 'line-width'],
      [3, 'line-count'],
    ]);
  });

  it('checks the WebVTT header, empty cues and the order of inline word timestamps', () => {
    const vtt =
      'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<c>a</c> <00:00:01.500><c>b</c> <00:00:01.400><c>c</c>\n\n' +
      '00:00:03.000 --> 00:00:04.000\n<c></c>\n\n00:00:05.000 --> 00:00:06.000\n<00:00:06.000><c>late</c>\n';
    expect(validateSubtitles(vtt, 'vtt', rules).map(({ cue, rule }) => [cue, rule])).toEqual([
      [1, 'word-timestamp'],
      [2, 'empty'],
      [3, 'word-timestamp'],
    ]);
    expect(validateSubtitles('00:00:01.000 --> 00:00:02.000\nno header\n', 'vtt', rules)[0]).toMatchObject({ rule: 'syntax' });
  });
});
