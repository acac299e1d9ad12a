import { WebVTTParser } from 'webvtt-parser';
import { parse as parseStrictVtt } from 'node-webvtt';
import SrtParser from 'srt-parser-2';
import type { TranscriptionResult } from '@speech/contracts';
import { REAL_TRANSCRIPT, REAL_TRANSCRIPT_WITHOUT_WORDS } from '../testing/real-transcript';
import { formatDiarizedJson } from './diarized-json.formatter';
import { formatSrt } from './srt.formatter';
import { resolveSubtitleRules, type SubtitleOptions } from './subtitle-options';
import { validateSubtitles } from './subtitle-validator';
import { formatVerboseJson } from './verbose-json.formatter';
import { formatVtt } from './vtt.formatter';

/** A real transcript with speakers as the diarization stage leaves it: turns of three segments, words labelled too. */
function diarized(result: TranscriptionResult, names = ['A', 'B']): TranscriptionResult {
  const speakerAt = (index: number) => names[Math.floor(index / 3) % names.length] as string;
  const segments = result.segments.map((segment, index) => ({
    ...segment,
    speaker: speakerAt(index),
    ...(segment.words ? { words: segment.words.map((word) => ({ ...word, speaker: speakerAt(index) })) } : {}),
  }));
  return { ...result, segments, ...(result.words ? { words: segments.flatMap((s) => s.words ?? []) } : {}) };
}

const RULE_SETS: Array<[string, SubtitleOptions | undefined]> = [
  ['one cue per segment', undefined],
  ['broadcast defaults', { maxLineWidth: 42 }],
  ['one line of 32', { maxLineWidth: 32, maxLineCount: 1 }],
  ['karaoke', { maxLineWidth: 20, maxLineCount: 2, highlightWords: true }],
];
const TRANSCRIPTS: Array<[string, TranscriptionResult]> = [
  ['with word timestamps', diarized(REAL_TRANSCRIPT)],
  ['without word timestamps', diarized(REAL_TRANSCRIPT_WITHOUT_WORDS)],
];

/** One cue per segment keeps Whisper's times (no gap or length rules), so only the file's syntax is checked then. */
const applies = (options: SubtitleOptions | undefined) => (v: { rule: string }) => options !== undefined || ['syntax', 'empty', 'order'].includes(v.rule);

/** Every word a speaker says, in order, from the transcript. */
function wordsBySpeaker(result: TranscriptionResult): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const segment of result.segments) {
    const words = segment.text.trim().split(/\s+/).filter(Boolean);
    by.set(segment.speaker as string, [...(by.get(segment.speaker as string) ?? []), ...words]);
  }
  return by;
}

describe('speakers in subtitles', () => {
  describe.each(TRANSCRIPTS)('%s', (_name, result) => {
    it.each(RULE_SETS)('%s: every SRT cue starts with "Speaker: ", keeps the rules and parses with srt-parser-2', (_rules, options) => {
      const srt = formatSrt(result, options);
      expect(validateSubtitles(srt, 'srt', resolveSubtitleRules(options ?? {}))
        .filter(applies(options))).toEqual([]);
      const cues = new SrtParser().fromSrt(srt);
      expect(cues.length).toBeGreaterThan(50);
      const by = new Map<string, string[]>();
      for (const cue of cues) {
        const match = /^(A|B): (.+)$/s.exec(cue.text);
        expect(match).not.toBeNull();
        const [, speaker, text] = match as RegExpExecArray;
        by.set(speaker as string, [...(by.get(speaker as string) ?? []), ...(text as string).split(/\s+/)]);
      }
      // No word changes speaker on its way into the cues: a cue never mixes two speakers.
      expect(by).toEqual(wordsBySpeaker(result));
    });

    it.each(RULE_SETS)('%s: every VTT cue is one <v Speaker> voice span that webvtt-parser and node-webvtt read', (_rules, options) => {
      const vtt = formatVtt(result, options);
      expect(validateSubtitles(vtt, 'vtt', resolveSubtitleRules(options ?? {}))
        .filter(applies(options))).toEqual([]);
      const tree = new WebVTTParser().parse(vtt);
      expect(tree.errors).toEqual([]);
      const voices = tree.cues.map((cue) => (cue as unknown as { tree: { children: Array<{ name?: string; value?: string }> } }).tree.children);
      expect(voices.every((children) => children.length === 1 && children[0]?.name === 'v')).toBe(true);
      expect(new Set(voices.map((children) => children[0]?.value))).toEqual(new Set(['A', 'B']));
      expect(parseStrictVtt(vtt).cues.length).toBe(tree.cues.length);
    });
  });

  it('reserves the speaker label\'s width on the first line, so the SRT line still fits', () => {
    const long: TranscriptionResult = {
      text: 'one two three four five six',
      language: 'en',
      duration: 3,
      segments: [{ id: 0, start: 0, end: 3, text: ' one two three four five six', speaker: 'Alexandra' }],
    };
    const srt = formatSrt(long, { maxLineWidth: 20, maxLineCount: 2 });
    expect(validateSubtitles(srt, 'srt', resolveSubtitleRules({ maxLineWidth: 20, maxLineCount: 2 }))).toEqual([]);
    expect(srt).toContain('Alexandra: one two');
  });

  it('escapes a known speaker\'s name in the voice annotation (WebVTT cue span annotation rules)', () => {
    const named: TranscriptionResult = {
      text: 'Hi',
      language: 'en',
      duration: 1,
      segments: [{ id: 0, start: 0, end: 1, text: ' Hi <there>', speaker: 'Ann & <Bo>' }],
    };
    expect(formatVtt(named)).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ann &amp; &lt;Bo&gt;>Hi &lt;there&gt;</v>\n');
    expect(new WebVTTParser().parse(formatVtt(named)).errors).toEqual([]);
  });

  it('leaves transcripts without speakers exactly as before', () => {
    expect(formatSrt(REAL_TRANSCRIPT)).not.toMatch(/^[AB]: /m);
    expect(formatVtt(REAL_TRANSCRIPT)).not.toContain('<v ');
  });
});

describe('diarized_json', () => {
  it('has OpenAI\'s TranscriptionDiarized shape, field for field', () => {
    const result = diarized(REAL_TRANSCRIPT);
    const body = formatDiarizedJson(result);
    expect(Object.keys(body).sort()).toEqual(['duration', 'segments', 'task', 'text', 'usage']);
    expect(body.task).toBe('transcribe');
    expect(body.text).toBe(result.text);
    expect(body.usage).toEqual({ type: 'duration', seconds: Math.ceil(result.duration) });
    expect(body.segments).toHaveLength(result.segments.length);
    body.segments.forEach((segment, index) => {
      expect(Object.keys(segment).sort()).toEqual(['end', 'id', 'speaker', 'start', 'text', 'type']);
      expect(segment).toMatchObject({ type: 'transcript.text.segment', id: `seg_${index}`, speaker: result.segments[index]?.speaker });
      expect(segment.text).toBe(result.segments[index]?.text.trim());
    });
  });

  it('verbose_json carries segments[].speaker and words[].speaker', () => {
    const body = formatVerboseJson(diarized(REAL_TRANSCRIPT), 'transcribe', 0, ['word', 'segment'], () => 1);
    expect(body.segments?.every((s) => s.speaker === 'A' || s.speaker === 'B')).toBe(true);
    expect(body.words?.every((w) => w.speaker === 'A' || w.speaker === 'B')).toBe(true);
  });
});
