import { WebVTTParser } from 'webvtt-parser';
import { parse as parseStrictVtt } from 'node-webvtt';
import SrtParser from 'srt-parser-2';
import { parseSync as parseWithSubtitle } from 'subtitle';
import type { TranscriptionResult } from '@speech/contracts';
import { REAL_TRANSCRIPT, REAL_TRANSCRIPT_WITHOUT_WORDS } from '../testing/real-transcript';
import { formatSrt } from './srt.formatter';
import { resolveSubtitleRules, type SubtitleOptions } from './subtitle-options';
import { validateSubtitles } from './subtitle-validator';
import { formatVtt } from './vtt.formatter';

/** Rule sets from the defaults to tight ones, so that every rule is what ends some cues. */
const RULE_SETS: Array<[string, SubtitleOptions]> = [
  ['broadcast defaults', { maxLineWidth: 42 }],
  ['one line of 32', { maxLineWidth: 32, maxLineCount: 1 }],
  ['3 s cues, 200 ms apart', { maxCueDuration: 3, minCueGap: 0.2 }],
  ['narrow three-line karaoke', { maxLineWidth: 16, maxLineCount: 3, highlightWords: true }],
];
const TRANSCRIPTS: Array<[string, TranscriptionResult]> = [
  ['with word timestamps', REAL_TRANSCRIPT],
  ['without word timestamps', REAL_TRANSCRIPT_WITHOUT_WORDS],
];

const ms = (seconds: number) => Math.round(seconds * 1000);
const spokenWords = (result: TranscriptionResult) => result.segments.flatMap((segment) => segment.text.trim().split(/\s+/)).filter(Boolean);
const cueWords = (texts: string[]) => texts.flatMap((text) => text.replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').split(/\s+/)).filter(Boolean);

describe('a real 10-minute transcript (tiny.en) as subtitles', () => {
  it('is long real speech: minutes of audio, hundreds of words, some zero-length words', () => {
    expect(REAL_TRANSCRIPT.duration).toBeGreaterThan(600);
    expect(REAL_TRANSCRIPT.words?.length).toBeGreaterThan(700);
    expect(REAL_TRANSCRIPT.words?.some((word) => word.end <= word.start)).toBe(true);
  });

  describe.each(TRANSCRIPTS)('%s', (_name, result) => {
    it.each(RULE_SETS)('%s: SRT obeys the rules and parses with srt-parser-2 and subtitle, no word lost', (_rules, options) => {
      const srt = formatSrt(result, options);
      expect(validateSubtitles(srt, 'srt', resolveSubtitleRules(options))).toEqual([]);

      const cues = new SrtParser().fromSrt(srt);
      expect(cues.length).toBeGreaterThan(100);
      expect(cueWords(cues.map((cue) => cue.text))).toEqual(spokenWords(result));
      const nodes = parseWithSubtitle(srt).filter((node) => node.type === 'cue');
      expect(nodes.map((node) => [node.data.start, node.data.end])).toEqual(cues.map((cue) => [ms(cue.startSeconds), ms(cue.endSeconds)]));
      expect(nodes.map((node) => node.data.text)).toEqual(cues.map((cue) => cue.text));
    });

    it.each(RULE_SETS)('%s: WebVTT obeys the rules and parses with webvtt-parser, node-webvtt (strict) and subtitle', (_rules, options) => {
      const vtt = formatVtt(result, options);
      expect(validateSubtitles(vtt, 'vtt', resolveSubtitleRules(options))).toEqual([]);

      const tree = new WebVTTParser().parse(vtt);
      expect(tree.errors).toEqual([]);
      expect(cueWords(tree.cues.map((cue) => cue.text))).toEqual(spokenWords(result));
      const strict = parseStrictVtt(vtt);
      expect(strict.valid).toBe(true);
      expect(strict.cues.map((cue) => [ms(cue.start), ms(cue.end)])).toEqual(tree.cues.map((cue) => [ms(cue.startTime), ms(cue.endTime)]));
      const nodes = parseWithSubtitle(vtt).filter((node) => node.type === 'cue');
      expect(nodes).toHaveLength(tree.cues.length);
    });
  });

  it('keeps each karaoke word timestamp at its word: parsed back, they are the word starts inside each cue', () => {
    const vtt = formatVtt(REAL_TRANSCRIPT, { highlightWords: true });
    const starts = new Set((REAL_TRANSCRIPT.words ?? []).map((word) => Math.round(word.start * 1000)));
    const stamps = [...vtt.matchAll(/<(\d\d:\d\d:\d\d\.\d{3})>/g)].map((match) => match[1] as string);
    expect(stamps.length).toBeGreaterThan(500);
    for (const stamp of stamps) {
      const [h, m, s] = stamp.split(':').map(Number) as [number, number, number];
      expect(starts.has(Math.round(((h * 60 + m) * 60 + s) * 1000))).toBe(true);
    }
  });
});
