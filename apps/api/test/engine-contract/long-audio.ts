import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { longSpeechFixture, workspaceCacheDir } from '@speech/test-support';
import type { NormalizedAudio } from '../../src/engines/transcription-engine.port';

/** Ten minutes of speech as normalized f32 PCM (cached): more work than any engine finishes in a second. */
export function tenMinutesOfSpeech(): NormalizedAudio {
  const source = longSpeechFixture();
  const dir = workspaceCacheDir('fixtures');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'ten-minutes.f32');
  const loops = Math.ceil(600 / source.durationSeconds) - 1;
  if (!existsSync(path)) {
    const partial = `${path}.${process.pid}`;
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', String(loops), '-f', 'f32le', '-ar', '16000', '-ac', '1', '-i', source.pcm, '-c', 'copy', '-f', 'f32le', partial]);
    renameSync(partial, path);
  }
  return { path, durationSeconds: (loops + 1) * source.durationSeconds, sampleRate: 16000 };
}
