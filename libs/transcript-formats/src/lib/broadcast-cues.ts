import type { TranscriptionResult } from '@speech/contracts';
import type { Cue, TimedWord } from './cue';
import { wrapLines } from './line-wrap';
import { speakerLabelToken } from './speaker-label';
import type { SubtitleRules } from './subtitle-options';
import { splitLongWords, wordsBySegment } from './timed-words';

/** A pause this long between two words ends the cue, so no caption stays up through silence. */
export const PAUSE_BREAK_MS = 1000;
/** After a sentence's last word a shorter pause is enough: a new sentence after a breath starts a new cue. */
export const SENTENCE_PAUSE_BREAK_MS = 400;
/** No cue is shorter than this (a zero-length word must still be visible; two frames at 25 fps is a flash). */
export const MIN_CUE_MS = 100;
/** A short cue is lengthened up to this when the next cue leaves room (Netflix's minimum, 5/6 s), so it can be read. */
export const READABLE_CUE_MS = 833;

/**
 * Cues by the broadcast rules: the words are packed in reading order into cues of at most `maxLineCount`
 * balanced lines of `maxLineWidth` characters, lasting at most `maxCueDuration`; a cue breaks only between words,
 * preferably after punctuation in its second half, and always at a pause. Whisper's segment ends are not cue
 * breaks: it often ends a segment mid-sentence, which would leave a one-word cue.
 * Then times are made to hold on the millisecond grid: cues in order, `minCueGap` apart, never zero-length.
 */
export function broadcastCues(result: TranscriptionResult, rules: SubtitleRules): Cue[] {
  const maxMs = Math.round(rules.maxCueDuration * 1000);
  const groups = packWords(splitLongWords(wordsBySegment(result).flat(), rules.maxLineWidth), rules, maxMs);
  return placeInTime(groups, maxMs, Math.round(rules.minCueGap * 1000)).map(({ words, startMs, endMs }) => {
    const speaker = (words[0] as TimedWord).speaker;
    const tokens = withSpeakerToken(words);
    const wrapped = wrapLines(tokens, rules.maxLineWidth, rules.maxLineCount) ?? [tokens];
    // The speaker token only reserved its width on the first line; the SRT and VTT writers render the speaker.
    const lineTexts = (speaker === undefined ? wrapped : [wrapped[0]?.slice(1) ?? [], ...wrapped.slice(1)]).filter((line) => line.length > 0);
    let next = 0;
    const wordLines = lineTexts.map((line) => {
      const lineWords = words.slice(next, next + line.length);
      next += line.length;
      return lineWords;
    });
    return { startMs, endMs, lines: lineTexts.map((line) => line.join(' ')), wordLines, ...(speaker !== undefined ? { speaker } : {}) };
  });
}

/**
 * The cue's words as wrapping sees them: a diarized cue starts with its speaker's SRT label ("A:", see srt.formatter),
 * so the line that carries it still fits the width.
 */
function withSpeakerToken(words: readonly TimedWord[]): string[] {
  const texts = words.map((word) => word.text);
  const speaker = words[0]?.speaker;
  return speaker === undefined ? texts : [speakerLabelToken(speaker), ...texts];
}

function packWords(words: readonly TimedWord[], rules: SubtitleRules, maxMs: number): TimedWord[][] {
  const fits = (cue: readonly TimedWord[]) =>
    lastEnd(cue) - (cue[0] as TimedWord).startMs <= maxMs &&
    wrapLines(withSpeakerToken(cue), rules.maxLineWidth, rules.maxLineCount) !== undefined;
  const cues: TimedWord[][] = [];
  let current: TimedWord[] = [];
  for (const word of words) {
    const previous = current[current.length - 1];
    const pause = previous ? word.startMs - previous.endMs : 0;
    // A new speaker always starts a new cue: one speaker label per cue says who says all of it.
    const turn = previous !== undefined && previous.speaker !== word.speaker;
    if (previous && (turn || pause >= PAUSE_BREAK_MS || (pause >= SENTENCE_PAUSE_BREAK_MS && SENTENCE_END.test(previous.text)))) {
      cues.push(current);
      current = [];
    }
    if (current.length === 0 || fits([...current, word])) {
      current.push(word);
      continue;
    }
    const cut = punctuationCut(current);
    cues.push(current.slice(0, cut));
    const carried = current.slice(cut);
    if (carried.length > 0 && !fits([...carried, word])) {
      cues.push(carried);
      current = [word];
    } else {
      current = [...carried, word];
    }
  }
  if (current.length > 0) cues.push(current);
  return cues;
}

const SENTENCE_END = /[.!?…。！？]["'”’)\]]*$/u;
const CLAUSE_END = /[,;:，、；：]["'”’)\]]*$/u;

/**
 * Where to end a full cue: after the last sentence end past its first third, else after the last clause end
 * (comma, semicolon) in its second half, else after its last word. The rest starts the next cue.
 */
function punctuationCut(cue: readonly TimedWord[]): number {
  const lastAfter = (pattern: RegExp, from: number) => {
    for (let index = cue.length - 1; index >= Math.max(1, from); index -= 1) {
      if (pattern.test((cue[index - 1] as TimedWord).text)) return index;
    }
    return undefined;
  };
  return lastAfter(SENTENCE_END, Math.ceil(cue.length / 3)) ?? lastAfter(CLAUSE_END, Math.ceil(cue.length / 2)) ?? cue.length;
}

interface PlacedCue {
  readonly words: readonly TimedWord[];
  startMs: number;
  endMs: number;
}

function placeInTime(groups: readonly TimedWord[][], maxMs: number, gapMs: number): PlacedCue[] {
  const placed: PlacedCue[] = [];
  for (const words of groups) {
    const previous = placed[placed.length - 1];
    const startMs = Math.max(0, (words[0] as TimedWord).startMs, previous ? previous.endMs + gapMs : 0);
    const endMs = Math.min(startMs + maxMs, Math.max(lastEnd(words), startMs + MIN_CUE_MS));
    placed.push({ words, startMs, endMs });
  }
  placed.forEach((cue, index) => {
    const next = placed[index + 1];
    const room = next ? next.startMs - gapMs : Infinity;
    cue.endMs = Math.max(cue.endMs, Math.min(cue.startMs + READABLE_CUE_MS, room));
  });
  return placed;
}

function lastEnd(words: readonly TimedWord[]): number {
  return Math.max(...words.map((word) => word.endMs));
}
