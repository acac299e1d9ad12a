export { assessSegments, speechShare, type AssessOptions, type QualityThresholds, type SpeechSpan } from './assess-segments';
export { compressionRatio } from './compression-ratio';
export { dropFlaggedSegments, FILTERED_FLAGS } from './hallucination-filter';
export { isKnownHallucination } from './known-hallucinations';
export { isSilenceMarker, withoutSilenceMarkers } from './silence-markers';
export { judgeResult } from './judge-result';
