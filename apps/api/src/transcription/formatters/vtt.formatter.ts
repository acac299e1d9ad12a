import type { TranscriptionResult } from '@speech/contracts';
import { formatTimestamp } from './timestamp';

/** WebVTT; cue text is escaped because `<`, `&` and `-->` carry meaning in a cue. */
export function formatVtt(result: TranscriptionResult): string {
  const cues = result.segments
    .map((segment) => ({ ...segment, text: escapeCueText(segment.text.trim()) }))
    .filter((segment) => segment.text.length > 0)
    .map((segment) => `${formatTimestamp(segment.start, '.')} --> ${formatTimestamp(segment.end, '.')}\n${segment.text}\n`);
  return ['WEBVTT\n', ...cues].join('\n');
}

function escapeCueText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
