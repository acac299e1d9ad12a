import { execFileSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import {
  generateWhisperModel,
  longSpeechFixture,
  MODEL_PRESETS,
  workspaceCacheDir,
} from '@speech/test-support';

/**
 * `minutes` of speech made by looping the ~34 s test passage (so there are natural pauses to cut at), in
 * `format`, cached under .cache/fixtures. The encoded packets are copied, not re-encoded: 2 h take a second.
 */
export function loopedRecording(minutes: number, format: 'wav' | 'webm' | 'mp3' = 'webm'): string {
  const target = join(workspaceCacheDir('fixtures'), `looped-${minutes}min.${format}`);
  if (existsSync(target)) return target;
  const source = longSpeechFixture();
  const seconds = minutes * 60;
  const loops = Math.ceil(seconds / source.durationSeconds);
  const partial = `${target}.${process.pid}.${format}`;
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', String(loops), '-i', source[format], '-t', String(seconds), '-c', 'copy', partial]);
  renameSync(partial, target);
  return target;
}

/**
 * A random-weight model of the real architecture trimmed for speed: one encoder and one decoder layer,
 * and a 32-token text context, which caps whisper's decode at a dozen tokens per 30 s chunk. About
 * 90× real time on two busy cores: what lets hours of audio go through a test.
 */
export async function fastJobsModel(): Promise<string> {
  const file = join(workspaceCacheDir('models'), 'random-jobs-fast-seed0-f16.bin');
  if (!existsSync(file)) {
    const out = `${file}.${process.pid}`;
    await generateWhisperModel({ dims: { ...MODEL_PRESETS['tiny-test'], n_text_ctx: 32, n_audio_layer: 1, n_text_layer: 1 }, out });
    renameSync(out, file);
  }
  return file;
}
