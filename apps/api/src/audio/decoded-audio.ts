/**
 * Audio after the API's one decode: raw little-endian float32 PCM, 16 kHz, mono. The decoder (audio/) makes it and
 * the engines, the windowing and the jobs read it, so it lives here, beside the decoder, not with any one reader.
 */
export interface NormalizedAudio {
  /** Path of the raw f32le file. The caller owns it and deletes it after the call. */
  readonly path: string;
  readonly durationSeconds: number;
  readonly sampleRate: 16000;
}
