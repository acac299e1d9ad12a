import { hasSubtitleOptions, parseSubtitleOptions, type SubtitleOptions } from '@speech/transcript-formats';
import { DomainError } from '../../common/domain-error';

/**
 * The subtitle fields of a request (`max_line_width`, `max_line_count`, `max_cue_duration`, `min_cue_gap`,
 * `highlight_words`), or undefined when none was sent (SRT/VTT then keep one cue per segment). An invalid value
 * is a 400 INVALID_SUBTITLE_OPTION naming the field.
 */
export function subtitleFieldsOf(fields: object): SubtitleOptions | undefined {
  const parsed = parseSubtitleOptions(fields);
  if (!parsed.ok) throw new DomainError('INVALID_SUBTITLE_OPTION', parsed.error.message, { param: parsed.error.param });
  return hasSubtitleOptions(parsed.options) ? parsed.options : undefined;
}
