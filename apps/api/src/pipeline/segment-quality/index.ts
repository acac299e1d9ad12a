export { assessSegments, speechShare, type AssessOptions, type QualityThresholds, type SpeechSpan } from './assess-segments';
export { compressionRatio } from './compression-ratio';
export { dropFlaggedSegments, FILTERED_FLAGS } from './hallucination-filter';
export { isKnownHallucination } from './known-hallucinations';
export { judgeResult } from './judge-result';
