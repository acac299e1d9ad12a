import type { TranscriptionResult } from '@speech/contracts';
import { formatTimestamp } from './timestamp';

/** SubRip: numbered cues; cues with no text are dropped so players don't show empty captions. */
export function formatSrt(result: TranscriptionResult): string {
  return result.segments
    .map((segment) => ({ ...segment, text: segment.text.trim() }))
    .filter((segment) => segment.text.length > 0)
    .map((segment, index) => `${index + 1}\n${formatTimestamp(segment.start, ',')} --> ${formatTimestamp(segment.end, ',')}\n${segment.text}\n`)
    .join('\n');
}
