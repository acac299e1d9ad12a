/** Turns batches of mel windows into L2-normalised speaker embeddings. The abstract class is its own DI token. */
export abstract class SpeakerEmbedder {
  /** `mels`: `count` windows of `frames` × 40 power-mel values, window-major. Returns one embedding per window. */
  abstract embed(mels: Float32Array, count: number, frames: number): Promise<Float32Array[]>;
  abstract close(): Promise<void>;
}
