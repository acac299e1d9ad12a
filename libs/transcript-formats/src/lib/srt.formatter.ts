import type { TranscriptionResult } from '@speech/contracts';
import type { SubtitleOptions } from './subtitle-options';
import { subtitleCues } from './subtitle-cues';
import { withSpeakerLabel } from './speaker-label';
import { formatMilliseconds } from './timestamp';

/**
 * SubRip: numbered cues from 1, comma milliseconds; cues with no text are dropped so players don't show empty captions.
 * A diarized cue starts with its speaker: "A: Hello there." (speaker-label.ts).
 */
export function formatSrt(result: TranscriptionResult, options?: SubtitleOptions): string {
  return subtitleCues(result, options)
    .map((cue, index) => `${index + 1}\n${formatMilliseconds(cue.startMs, ',')} --> ${formatMilliseconds(cue.endMs, ',')}\n${withSpeakerLabel(cue.lines, cue.speaker).join('\n')}\n`)
    .join('\n');
}
