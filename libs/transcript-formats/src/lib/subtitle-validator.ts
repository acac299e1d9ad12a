import type { SubtitleRules } from './subtitle-options';
import { parseTimestamp } from './timestamp';

export interface SubtitleViolation {
  /** 1-based cue number in the file. */
  readonly cue: number;
  readonly rule: 'syntax' | 'order' | 'zero-length' | 'duration' | 'gap' | 'line-count' | 'line-width' | 'empty' | 'word-timestamp';
  readonly detail: string;
}

interface ParsedCue {
  readonly number: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly lines: readonly string[];
}

/**
 * Checks an SRT or WebVTT file against the subtitle rules, reading the file as written (not the cues that made
 * it): every cue has text, lasts more than 0 and at most `maxCueDuration`, starts at least `minCueGap` after the
 * previous one ends, has at most `maxLineCount` lines of at most `maxLineWidth` visible characters (tags removed,
 * entities counted as one), and its inline word timestamps lie inside the cue in increasing order.
 */
export function validateSubtitles(file: string, format: 'srt' | 'vtt', rules: SubtitleRules): SubtitleViolation[] {
  const violations: SubtitleViolation[] = [];
  const cues = parseCues(file, format, violations);
  const maxMs = Math.round(rules.maxCueDuration * 1000);
  const gapMs = Math.round(rules.minCueGap * 1000);
  cues.forEach((cue, index) => {
    const flag = (rule: SubtitleViolation['rule'], detail: string) => violations.push({ cue: cue.number, rule, detail });
    if (cue.endMs <= cue.startMs) flag('zero-length', `ends at ${cue.endMs} ms, not after its start ${cue.startMs} ms`);
    if (cue.endMs - cue.startMs > maxMs) flag('duration', `lasts ${cue.endMs - cue.startMs} ms > ${maxMs} ms`);
    const previous = cues[index - 1];
    if (previous && cue.startMs < previous.startMs) flag('order', 'starts before the previous cue');
    if (previous && cue.startMs - previous.endMs < gapMs) flag('gap', `${cue.startMs - previous.endMs} ms after the previous cue < ${gapMs} ms`);
    const visible = cue.lines.map(visibleText);
    if (visible.join('').trim() === '') flag('empty', 'has no text');
    if (cue.lines.length > rules.maxLineCount) flag('line-count', `${cue.lines.length} lines > ${rules.maxLineCount}`);
    visible.forEach((line) => {
      const width = [...line].length;
      if (width > rules.maxLineWidth) flag('line-width', `"${line}" is ${width} characters > ${rules.maxLineWidth}`);
    });
    if (format === 'vtt') checkWordTimestamps(cue, flag);
  });
  return violations;
}

function parseCues(file: string, format: 'srt' | 'vtt', violations: SubtitleViolation[]): ParsedCue[] {
  const blocks = file.replace(/\r\n?/g, '\n').split(/\n{2,}/).map((block) => block.split('\n').filter((line, index, lines) => index < lines.length - 1 || line !== ''));
  if (format === 'vtt') {
    const header = blocks.shift();
    if (!header?.[0]?.startsWith('WEBVTT')) violations.push({ cue: 0, rule: 'syntax', detail: 'the file does not start with WEBVTT' });
  }
  const cues: ParsedCue[] = [];
  for (const block of blocks.filter((lines) => lines.length > 0)) {
    const number = cues.length + 1;
    const timingIndex = block.findIndex((line) => line.includes('-->'));
    if (format === 'srt' && (timingIndex !== 1 || block[0] !== String(number))) {
      violations.push({ cue: number, rule: 'syntax', detail: `expected the number ${number} and a timing line, got "${block.slice(0, 2).join(' | ')}"` });
    }
    const [from = '', to = ''] = (block[timingIndex] ?? '').split('-->').map((part) => part.trim().split(/\s+/)[0] ?? '');
    const startMs = parseTimestamp(from);
    const endMs = parseTimestamp(to);
    if (timingIndex < 0 || startMs === undefined || endMs === undefined || (format === 'srt' ? /\./ : /,/).test(`${from}${to}`)) {
      violations.push({ cue: number, rule: 'syntax', detail: `bad timing line "${block[timingIndex] ?? ''}"` });
      continue;
    }
    cues.push({ number, startMs, endMs, lines: block.slice(timingIndex + 1) });
  }
  return cues;
}

/** The text a viewer sees: tags (`<c>`, `<00:00:01.200>`, `<i>`) removed, `&amp;`-style entities as one character. */
function visibleText(line: string): string {
  return line.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|nbsp|lrm|rlm);/g, 'x');
}

function checkWordTimestamps(cue: ParsedCue, flag: (rule: SubtitleViolation['rule'], detail: string) => void): void {
  let last = cue.startMs;
  for (const match of cue.lines.join('\n').matchAll(/<(\d[\d:.]*)>/g)) {
    const at = parseTimestamp(match[1] as string);
    if (at === undefined || at <= last || at >= cue.endMs) {
      flag('word-timestamp', `<${match[1]}> is not inside the cue after the previous timestamp`);
      return;
    }
    last = at;
  }
}
