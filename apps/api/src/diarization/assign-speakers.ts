import type { TranscriptionResult, TranscriptSegment, TranscriptWord } from '@speech/contracts';
import { overlap, type SpeakerTurn, type TimeSpan } from './speech-span';

/**
 * Puts speakers into a transcript: every word and segment gets the speaker whose turns overlap it most (the nearest
 * turn when none overlaps, e.g. a word the VAD missed), and a segment whose words change speaker is split there, so
 * each segment has one speaker. Segments without words keep their span and get the majority speaker.
 */
export function assignSpeakers(result: TranscriptionResult, turns: readonly SpeakerTurn[]): TranscriptionResult {
  if (turns.length === 0) return result;
  const segments: TranscriptSegment[] = [];
  for (const segment of result.segments) {
    const words = segment.words?.map((w) => ({ ...w, speaker: speakerOf(w, turns) }));
    if (!words || words.length === 0) {
      segments.push({ ...segment, speaker: speakerOf(segment, turns) });
      continue;
    }
    for (const run of runsBySpeaker(words)) {
      const isWhole = run.length === words.length;
      segments.push({
        ...segment,
        start: isWhole ? segment.start : run[0].start,
        end: isWhole ? segment.end : run[run.length - 1].end,
        text: isWhole ? segment.text : ` ${run.map((w) => w.word).join(' ')}`,
        words: run,
        speaker: run[0].speaker,
      });
    }
  }
  const renumbered = segments.map((segment, id) => ({ ...segment, id }));
  const words = result.words?.map((w) => ({ ...w, speaker: speakerOf(w, turns) }));
  return { ...result, segments: renumbered, ...(words ? { words } : {}) };
}

export function speakerOf(span: TimeSpan, turns: readonly SpeakerTurn[]): string {
  const totals = new Map<string, number>();
  for (const turn of turns) {
    const o = overlap(span, turn);
    if (o > 0) totals.set(turn.speaker, (totals.get(turn.speaker) ?? 0) + o);
  }
  if (totals.size > 0) return [...totals.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const middle = (span.start + span.end) / 2;
  const distance = (t: TimeSpan) => (middle < t.start ? t.start - middle : middle > t.end ? middle - t.end : 0);
  return turns.reduce((a, b) => (distance(b) < distance(a) ? b : a)).speaker;
}

function runsBySpeaker<W extends TranscriptWord & { speaker: string }>(words: readonly W[]): W[][] {
  const runs: W[][] = [];
  for (const word of words) {
    const current = runs[runs.length - 1];
    if (current && current[0].speaker === word.speaker) current.push(word);
    else runs.push([word]);
  }
  return runs;
}
