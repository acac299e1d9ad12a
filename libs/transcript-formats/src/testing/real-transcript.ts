import type { TranscriptionResult } from '@speech/contracts';
import recorded from './long-000.tiny-en.json';

/**
 * A real transcript: the eval set's 10-minute English recording (long-000: 158 spoken prompts with pauses of
 * 0.3-3 s) through the real tiny.en weights (faster-whisper 1.2.1, int8, greedy, word timestamps). Regenerate with
 * `scripts/record-transcript-fixture.py` (see the README).
 */
export const REAL_TRANSCRIPT = recorded as TranscriptionResult;

/** The same transcript as an engine without word timestamps gives it. */
export const REAL_TRANSCRIPT_WITHOUT_WORDS: TranscriptionResult = {
  ...REAL_TRANSCRIPT,
  words: undefined,
  segments: REAL_TRANSCRIPT.segments.map((segment) => ({ ...segment, words: undefined })),
};
