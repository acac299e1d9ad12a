import type { TranscriptionResult } from '@speech/contracts';
import { assessSegments, type QualityThresholds, type SpeechSpan } from './assess-segments';
import { dropFlaggedSegments } from './hallucination-filter';

/**
 * The last step before a transcript is formatted, for sync requests and merged job windows alike: every segment
 * judged (compression ratio, flags), then flagged segments dropped when the caller asked for `hallucination_filter`.
 */
export function judgeResult(
  result: TranscriptionResult,
  request: { readonly hallucinationFilter?: boolean },
  thresholds: QualityThresholds,
  speechRegions?: readonly SpeechSpan[],
): TranscriptionResult {
  const assessed = assessSegments(result, { thresholds, ...(speechRegions ? { speechRegions } : {}) });
  return request.hallucinationFilter ? dropFlaggedSegments(assessed) : assessed;
}
