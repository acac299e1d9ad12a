/** Whisper's encoder output: 50 frames a second, 1500 for its 30 s window. */
const FRAMES_PER_SECOND = 50;
const FULL_WINDOW_FRAMES = 1500;
/** Room after the audio: Whisper ends the last word (and predicts its end timestamp) better with some silence after it. */
const HEADROOM_SECONDS = 1;
/**
 * The shortest window (7.7 s). Below it tiny.en loops more often: on 120 short clips of the eval set (1.5–9 s,
 * whisper-cli -ac, Dec 4) a window of the clip plus a second but at least 256 frames wrote a sentence again in at least
 * 4 clips, at least 384 frames in 2; each loop costs a second decode with the full window (fitted-decode-looped.ts).
 * The encoder at 384 frames still costs about a quarter of the full window.
 */
const MIN_FRAMES = 384;
/**
 * Frame counts are rounded up to a multiple of 256. whisper.cpp pads the attention context to 256 and, unpatched, its
 * flash attention read the padded tail too, which held an earlier call's encoder output: with 384 or 448 frames the
 * same turn decoded differently depending on what the worker ran before (another session's turn). Our build masks the
 * padding (apps/api/native/whisper-patches; fitted-window-history.medium.spec.ts), so any size would now decode the same
 * whatever ran before; 256 stays because bench/realtime-fit-window.ts measured the accuracy of these windows.
 */
const FRAME_STEP = 256;

/**
 * Encoder frames (whisper.cpp's `audio_ctx`) for audio of this length: its length plus a second, at least 384 frames
 * and at least `minSeconds`' worth, rounded up to a multiple of 256 (so at least 512), at most the full window. The
 * encoder's cost grows with the frames, so a short turn costs a fraction of a full window. whisper.cpp's own stream
 * example runs short audio this way.
 */
export function fittedAudioCtx(durationSeconds: number, minSeconds = 0): number {
  const frames = Math.max(
    Math.ceil((Math.max(durationSeconds, 0) + HEADROOM_SECONDS) * FRAMES_PER_SECOND),
    Math.ceil(Math.max(minSeconds, 0) * FRAMES_PER_SECOND),
    MIN_FRAMES,
  );
  return Math.min(Math.ceil(frames / FRAME_STEP) * FRAME_STEP, FULL_WINDOW_FRAMES);
}
