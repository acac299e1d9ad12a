import type { TranscriptionResult } from '@speech/contracts';
import { broadcastCues } from './broadcast-cues';
import type { Cue } from './cue';
import { segmentCues } from './segment-cues';
import { hasSubtitleOptions, resolveSubtitleRules, type SubtitleOptions } from './subtitle-options';

/** One cue per segment when no subtitle option was asked for (the answer clients have always had), else the rules. */
export function subtitleCues(result: TranscriptionResult, options?: SubtitleOptions): Cue[] {
  return hasSubtitleOptions(options) ? broadcastCues(result, resolveSubtitleRules(options)) : segmentCues(result);
}
