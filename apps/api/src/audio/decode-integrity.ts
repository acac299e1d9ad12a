import type { AudioFormat, AudioWarning } from '@speech/contracts';
import { DomainError } from '../common/domain-error';

/**
 * Highest bitrate each lossy container plausibly carries (bits/s). bytes × 8 / this is the shortest duration the
 * file can honestly hold — the fallback expectation when the container declares no length (an Ogg stream whose
 * last page is garbage, an MP3 whose length ffmpeg could only guess from the first frame).
 */
const MAX_BITRATE: Partial<Record<AudioFormat, number>> = { mp3: 320_000, ogg: 512_000, webm: 512_000, m4a: 576_000 };
/** Below this share of the expected length, the file is mostly undecodable: refused. */
export const REFUSE_BELOW_SHARE = 0.5;
/** Below this share (or with any decoder error), the transcript comes with a warning. */
export const WARN_BELOW_SHARE = 0.9;

export interface DecodeOutcome {
  readonly format: AudioFormat;
  readonly inputBytes: number;
  readonly decodedSeconds: number;
  /** The length the container declares, when ffmpeg found one it did not have to guess. */
  readonly declaredSeconds?: number;
  /** Error lines the decoder printed (a damaged frame or packet each, roughly). */
  readonly decoderErrors: number;
  /** Decoding stopped at this many seconds on purpose (the route's limit + 1 s): the rest was never read. */
  readonly decodeCapSeconds: number;
}

/** The length we expected to decode, or undefined when neither the container nor the size says. */
export function expectedSeconds(outcome: DecodeOutcome): number | undefined {
  if (outcome.declaredSeconds !== undefined) return outcome.declaredSeconds;
  const bitrate = MAX_BITRATE[outcome.format];
  return bitrate === undefined ? undefined : (outcome.inputBytes * 8) / bitrate;
}

/**
 * Damaged audio is not a silent success. The rule:
 * - less than half of the expected length decoded → 422 UNDECODABLE_AUDIO (the file is mostly broken);
 * - less than 90 % decoded, or any decoder error → the transcript carries an AUDIO_PARTLY_DAMAGED warning;
 * - otherwise no warning.
 * "Expected" is the container's declared length, capped at the decode limit, or, without one, the shortest length
 * the byte size allows at the format's highest bitrate. WAV (PCM) has no invalid samples: garbage in a WAV decodes
 * as noise, and only a short data chunk is detected.
 */
export function judgeDecode(outcome: DecodeOutcome): AudioWarning[] {
  const expected = expectedSeconds(outcome);
  const share = expected === undefined ? 1 : outcome.decodedSeconds / Math.min(expected, outcome.decodeCapSeconds);
  const decoded = outcome.decodedSeconds.toFixed(1);
  const of = expected === undefined ? '' : ` of about ${expected.toFixed(1)} s expected`;
  if (share < REFUSE_BELOW_SHARE) {
    throw new DomainError(
      'UNDECODABLE_AUDIO',
      `Most of the file could not be decoded: ${decoded} s of audio${of}. The file is damaged or truncated.`,
      { decoded_seconds: round(outcome.decodedSeconds), ...(expected === undefined ? {} : { expected_seconds: round(expected) }) },
    );
  }
  if (share >= WARN_BELOW_SHARE && outcome.decoderErrors === 0) return [];
  const errors = outcome.decoderErrors > 0 ? `; the decoder reported ${outcome.decoderErrors} damaged frame(s)` : '';
  return [
    {
      code: 'AUDIO_PARTLY_DAMAGED',
      message: `Part of the audio could not be decoded (${decoded} s${of}${errors}); the transcript may miss words.`,
      decoded_seconds: round(outcome.decodedSeconds),
      ...(expected === undefined ? {} : { expected_seconds: round(expected) }),
      decoder_errors: outcome.decoderErrors,
    },
  ];
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
