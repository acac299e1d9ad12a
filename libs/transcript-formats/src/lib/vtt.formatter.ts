import type { TranscriptionResult } from '@speech/contracts';
import type { Cue, TimedWord } from './cue';
import { resolveSubtitleRules, type SubtitleOptions } from './subtitle-options';
import { subtitleCues } from './subtitle-cues';
import { voiceAnnotation } from './speaker-label';
import { formatMilliseconds } from './timestamp';

/**
 * WebVTT; cue text is escaped because `<`, `&` and `>` carry meaning in a cue. With `highlightWords`, each word
 * is a `<c>` span and every word after the cue's start is preceded by a WebVTT cue timestamp (`<00:00:01.200>`,
 * the spec's karaoke form, styled through `::cue(:past)` / `::cue(:future)`); the spec wants those timestamps
 * after the cue's start, before its end and increasing, so a word that would break that shares its predecessor's.
 * A diarized cue is one voice span, `<v A>…</v>`.
 */
export function formatVtt(result: TranscriptionResult, options?: SubtitleOptions): string {
  const highlight = options !== undefined && resolveSubtitleRules(options).highlightWords;
  const cues = subtitleCues(result, options).map(
    (cue) =>
      `${formatMilliseconds(cue.startMs, '.')} --> ${formatMilliseconds(cue.endMs, '.')}\n${inVoice((highlight ? karaokeLines(cue) : cue.lines.map(escapeCueText)).join('\n'), cue.speaker)}\n`,
  );
  return ['WEBVTT\n', ...cues].join('\n');
}

/** A diarized cue's text inside its speaker's voice span, `<v A>…</v>` (one speaker per cue). */
function inVoice(text: string, speaker: string | undefined): string {
  return speaker === undefined ? text : `<v ${voiceAnnotation(speaker)}>${text}</v>`;
}

export function escapeCueText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function karaokeLines(cue: Cue): string[] {
  if (!cue.wordLines) return cue.lines.map(escapeCueText);
  let lastStamp = cue.startMs;
  const word = (timed: TimedWord) => {
    const span = `<c>${escapeCueText(timed.text)}</c>`;
    if (timed.startMs <= lastStamp || timed.startMs >= cue.endMs) return span;
    lastStamp = timed.startMs;
    return `<${formatMilliseconds(timed.startMs, '.')}>${span}`;
  };
  return cue.wordLines.map((line) => line.map(word).join(' '));
}
