import type { TranscriptSegment } from '@speech/contracts';

/**
 * What Whisper writes to say "nobody speaks here": whisper.cpp's "[BLANK_AUDIO]" over silence, and the subtitle
 * conventions the models learned ("(silence)", "[ Silence ]", "[no speech]", "[pause]"). Only these: a sound
 * annotation such as "[Music]" or "(laughs)" describes something that was heard, so it stays a flagged segment
 * (`known_hallucination`) for the caller to judge or filter.
 */
const MARKER = String.raw`(?:blank[ _]?audio|silence|silent|no[ _]speech|no[ _]audio|pause)`;
const SILENCE_MARKER = new RegExp(String.raw`^(?:\s*(?:\[\s*${MARKER}\s*\.?\s*\]|\(\s*${MARKER}\s*\.?\s*\)))+\s*$`, 'iu');

/** True when the segment's whole text is one or more silence markers and nothing else. */
export function isSilenceMarker(text: string): boolean {
  return SILENCE_MARKER.test(text);
}

/**
 * The segments without those that are only a silence marker. For VAD's speech chunks: the engine heard only what VAD
 * called speech, so a marker there is the model saying it heard none (a region's padding, a breath, a click) and is
 * no text to show. Without VAD such segments are kept and flagged, as the caller asked for everything.
 */
export function withoutSilenceMarkers(segments: readonly TranscriptSegment[]): TranscriptSegment[] {
  return segments.filter((segment) => !isSilenceMarker(segment.text));
}
