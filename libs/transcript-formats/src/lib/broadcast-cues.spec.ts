import type { TranscriptionResult, TranscriptSegment, TranscriptWord } from '@speech/contracts';
import { broadcastCues, MIN_CUE_MS, READABLE_CUE_MS } from './broadcast-cues';
import { wrapLines } from './line-wrap';
import { SUBTITLE_DEFAULTS, type SubtitleRules } from './subtitle-options';
import { formatSrt } from './srt.formatter';
import { formatVtt } from './vtt.formatter';

/** Words spoken one after another, `each` seconds apart, as one segment. */
function spoken(text: string, each = 0.3, from = 0): TranscriptionResult {
  const words: TranscriptWord[] = text.split(' ').map((word, index) => ({ word, start: from + index * each, end: from + (index + 1) * each }));
  const end = words[words.length - 1]?.end ?? from;
  return { text, language: 'en', duration: end, segments: [{ id: 0, start: from, end, text: ` ${text}`, words }] };
}
const only = (result: TranscriptionResult): TranscriptSegment => result.segments[0] as TranscriptSegment;
const rules = (overrides: Partial<SubtitleRules> = {}): SubtitleRules => ({ ...SUBTITLE_DEFAULTS, ...overrides });

describe('wrapLines', () => {
  it('balances two lines instead of filling the first', () => {
    const words = 'the quick brown fox jumps over the lazy dog again and again'.split(' ');
    expect(wrapLines(words, 42, 2)?.map((line) => line.join(' '))).toEqual(['the quick brown fox jumps over', 'the lazy dog again and again']);
  });

  it('says when words do not fit', () => {
    expect(wrapLines(['abcdef', 'ghijkl', 'mnopqr'], 13, 1)).toBeUndefined();
    expect(wrapLines(['abcdefghijklmn'], 10, 3)).toBeUndefined();
  });
});

describe('broadcastCues', () => {
  it('packs words into cues of at most the allowed lines and width, breaking only between words', () => {
    const sentence = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen';
    const cues = broadcastCues(spoken(sentence, 0.2), rules({ maxLineWidth: 20, maxLineCount: 2 }));
    expect(cues.length).toBeGreaterThan(1);
    for (const cue of cues) {
      expect(cue.lines.length).toBeLessThanOrEqual(2);
      for (const line of cue.lines) expect(line.length).toBeLessThanOrEqual(20);
    }
    expect(cues.flatMap((cue) => cue.lines.join(' ').split(' ')).join(' ')).toBe(sentence);
  });

  it('ends a cue before it would last longer than max_cue_duration', () => {
    const cues = broadcastCues(spoken('a b c d e f g h i j', 1), rules({ maxCueDuration: 3 }));
    expect(cues.map((cue) => cue.lines.join(' '))).toEqual(['a b c', 'd e f', 'g h i', 'j']);
    for (const cue of cues) expect(cue.endMs - cue.startMs).toBeLessThanOrEqual(3000);
  });

  it('prefers to end a full cue after a sentence, and starts a new cue after a pause', () => {
    const text = 'That agent is already logged on. Please enter your agent number followed by the pound key.';
    expect(broadcastCues(spoken(text, 0.2), rules()).map((cue) => cue.lines.join(' '))).toEqual([
      'That agent is already logged on.',
      'Please enter your agent number followed by the pound key.',
    ]);
    const paused: TranscriptionResult = { ...spoken('Yes. No.'), segments: [{ ...only(spoken('Yes. No.')), words: [
      { word: 'Yes.', start: 0, end: 0.4 }, { word: 'No.', start: 0.9, end: 1.2 },
    ] }] };
    expect(broadcastCues(paused, rules()).map((cue) => cue.lines)).toEqual([['Yes.'], ['No.']]);
  });

  it('joins a sentence that Whisper split across segments', () => {
    const first = spoken('Please enter the number to be removed from the', 0.2);
    const second = spoken('blacklist.', 0.2, 2.1);
    const result: TranscriptionResult = { ...first, segments: [only(first), { ...only(second), id: 1 }] };
    expect(broadcastCues(result, rules()).map((cue) => cue.lines)).toEqual([['Please enter the number to be', 'removed from the blacklist.']]);
  });

  it('never writes a zero-length cue, keeps the gap, and lengthens short cues where there is room', () => {
    const result: TranscriptionResult = {
      text: 'Hi. Yo. Ok.',
      language: 'en',
      duration: 10,
      segments: [
        { id: 0, start: 1, end: 1, text: ' Hi.', words: [{ word: 'Hi.', start: 1, end: 1 }] },
        { id: 1, start: 1.5, end: 1.5, text: ' Yo.', words: [{ word: 'Yo.', start: 1.5, end: 1.5 }] },
        { id: 2, start: 5, end: 5.05, text: ' Ok.', words: [{ word: 'Ok.', start: 5, end: 5.05 }] },
      ],
    };
    const cues = broadcastCues(result, rules({ minCueGap: 0.1 }));
    expect(cues.map(({ startMs, endMs }) => [startMs, endMs])).toEqual([
      [1000, 1400], // lengthened up to the next cue minus the gap
      [1500, 1500 + READABLE_CUE_MS],
      [5000, 5000 + READABLE_CUE_MS],
    ]);
    expect(MIN_CUE_MS).toBeGreaterThan(0);
  });

  it('moves a cue that would start inside the previous one (overlapping word times) to keep the gap', () => {
    const result: TranscriptionResult = {
      text: 'a b',
      language: 'en',
      duration: 3,
      segments: [
        { id: 0, start: 0, end: 2, text: ' alpha.', words: [{ word: 'alpha.', start: 0, end: 2 }] },
        { id: 1, start: 1.95, end: 3, text: ' beta.', words: [{ word: 'beta.', start: 1.95, end: 3 }] },
      ],
    };
    // Different cues only when the first cannot take the second word; force that with one word a cue.
    const cues = broadcastCues(result, rules({ maxLineWidth: 10, maxLineCount: 1 }));
    expect(cues.map(({ startMs, endMs }) => [startMs, endMs])).toEqual([[0, 2000], [2080, 3000]]);
  });

  it('cuts a word wider than a line into line-sized pieces', () => {
    const cues = broadcastCues(spoken('Donaudampfschifffahrtsgesellschaftskapitän', 2), rules({ maxLineWidth: 10, maxLineCount: 1 }));
    expect(cues.map((cue) => cue.lines[0])).toEqual(['Donaudampf', 'schifffahr', 'tsgesellsc', 'haftskapit', 'än']);
  });

  it('without word timestamps, shares each segment out by text length', () => {
    const result: TranscriptionResult = {
      text: 'aaaa bbbb cccc dddd',
      language: 'en',
      duration: 8,
      segments: [{ id: 0, start: 0, end: 8, text: ' aaaa bbbb cccc dddd' }],
    };
    const cues = broadcastCues(result, rules({ maxLineWidth: 10, maxLineCount: 1 }));
    expect(cues.map((cue) => [cue.lines[0], cue.startMs, cue.endMs])).toEqual([
      ['aaaa bbbb', 0, 4000],
      ['cccc dddd', 4080, 8000],
    ]);
  });

  it('uses the flat word list when segments carry no words', () => {
    const withSegmentWords = spoken('alpha beta gamma delta', 0.5);
    const flat: TranscriptionResult = {
      ...withSegmentWords,
      segments: [{ ...only(withSegmentWords), words: undefined }],
      words: only(withSegmentWords).words,
    };
    expect(broadcastCues(flat, rules({ maxLineWidth: 11 }))).toEqual(broadcastCues(withSegmentWords, rules({ maxLineWidth: 11 })));
  });
});

describe('subtitle files with options', () => {
  const result = spoken('Fish & chips <now> for everyone here tonight', 0.4, 1);

  it('writes SRT cues with their lines', () => {
    expect(formatSrt(result, { maxLineWidth: 20 })).toBe(
      // The second cue starts 80 ms (the default gap) after the first and is lengthened to be readable.
      '1\n00:00:01,000 --> 00:00:03,800\nFish & chips <now>\nfor everyone here\n\n2\n00:00:03,880 --> 00:00:04,713\ntonight\n',
    );
  });

  it('writes karaoke WebVTT: a <c> span per word, a cue timestamp before each word after the first', () => {
    expect(formatVtt(result, { maxLineWidth: 30, highlightWords: true })).toBe(
      'WEBVTT\n\n00:00:01.000 --> 00:00:04.200\n' +
        '<c>Fish</c> <00:00:01.400><c>&amp;</c> <00:00:01.800><c>chips</c> <00:00:02.200><c>&lt;now&gt;</c> <00:00:02.600><c>for</c>\n' +
        '<00:00:03.000><c>everyone</c> <00:00:03.400><c>here</c> <00:00:03.800><c>tonight</c>\n',
    );
  });

  it('writes plain escaped WebVTT lines when highlighting is off', () => {
    expect(formatVtt(result, { maxLineWidth: 30 })).toBe(
      'WEBVTT\n\n00:00:01.000 --> 00:00:04.200\nFish &amp; chips &lt;now&gt; for\neveryone here tonight\n',
    );
  });
});
