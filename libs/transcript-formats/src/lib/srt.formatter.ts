import type { TranscriptionResult } from '@speech/contracts';
import type { SubtitleOptions } from './subtitle-options';
import { subtitleCues } from './subtitle-cues';
import { formatMilliseconds } from './timestamp';

/** SubRip: numbered cues from 1, comma milliseconds; cues with no text are dropped so players don't show empty captions. */
export function formatSrt(result: TranscriptionResult, options?: SubtitleOptions): string {
  return subtitleCues(result, options)
    .map((cue, index) => `${index + 1}\n${formatMilliseconds(cue.startMs, ',')} --> ${formatMilliseconds(cue.endMs, ',')}\n${cue.lines.join('\n')}\n`)
    .join('\n');
}
