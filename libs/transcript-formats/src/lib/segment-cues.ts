import type { TranscriptionResult } from '@speech/contracts';
import type { Cue } from './cue';

/**
 * The form without subtitle options: one cue per Whisper segment with its trimmed text as one line, segments
 * without text dropped, times as the engine gave them (a zero-length segment stays zero-length). Kept as the
 * default so answers to clients that ask for nothing more stay as they were.
 */
export function segmentCues(result: TranscriptionResult): Cue[] {
  return result.segments
    .map((segment) => ({
      startMs: Math.round(segment.start * 1000),
      endMs: Math.round(segment.end * 1000),
      lines: [segment.text.trim()],
      ...(segment.speaker !== undefined ? { speaker: segment.speaker } : {}),
    }))
    .filter((cue) => cue.lines[0].length > 0);
}
