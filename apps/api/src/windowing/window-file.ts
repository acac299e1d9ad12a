import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { NormalizedAudio } from '../audio/decoded-audio';
import type { AudioWindow } from './silence-splitter';

const BYTES_PER_SAMPLE = 4;

/**
 * Copies one window of the normalized audio into its own f32le file (streamed), so the engine gets a
 * bounded input whatever the length of the whole recording.
 */
export async function writeWindowFile(source: NormalizedAudio, window: AudioWindow, path: string, signal?: AbortSignal): Promise<NormalizedAudio> {
  await pipeline(
    createReadStream(source.path, {
      start: window.startSample * BYTES_PER_SAMPLE,
      end: window.endSample * BYTES_PER_SAMPLE - 1,
      highWaterMark: 1 << 20,
    }),
    createWriteStream(path),
    { signal },
  );
  return { path, durationSeconds: window.durationSeconds, sampleRate: source.sampleRate };
}
