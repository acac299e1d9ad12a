/** Whisper's encoder output: 50 frames a second, 1500 for its 30 s window. */
const FRAMES_PER_SECOND = 50;
const FULL_WINDOW_FRAMES = 1500;
/** Room after the audio: Whisper ends the last word (and predicts its end timestamp) better with some silence after it. */
const HEADROOM_SECONDS = 1;
/** Frame counts are rounded up to this, so the encoder's graph sees few distinct shapes. */
const FRAME_STEP = 64;

/**
 * Encoder frames (whisper.cpp's `audio_ctx`) for audio of this length: its length plus a second, rounded up to a
 * multiple of 64 frames, at most the full window. The encoder's cost grows with the frames, so a 2 s turn costs about
 * a tenth of a full window. whisper.cpp's own stream example runs short audio this way.
 */
export function fittedAudioCtx(durationSeconds: number): number {
  const frames = Math.ceil((Math.max(durationSeconds, 0) + HEADROOM_SECONDS) * FRAMES_PER_SECOND);
  return Math.min(Math.ceil(frames / FRAME_STEP) * FRAME_STEP, FULL_WINDOW_FRAMES);
}
