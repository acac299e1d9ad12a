import { execFileSync } from 'node:child_process';

/**
 * `times` copies of a recording, each followed by `pauseSeconds` of silence, as one 16 kHz mono WAV at `out` (ffmpeg):
 * long speech with real pauses from one short clip, e.g. enough for several ≤ 30 s VAD chunks.
 */
export function repeatedSpeech(file: string, times: number, pauseSeconds: number, out: string): string {
  const inputs = Array.from({ length: times }, () => ['-i', file]).flat();
  const padded = Array.from({ length: times }, (_, i) => `[${i}:a]apad=pad_dur=${pauseSeconds}[a${i}]`).join(';');
  const joined = Array.from({ length: times }, (_, i) => `[a${i}]`).join('');
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...inputs, '-filter_complex', `${padded};${joined}concat=n=${times}:v=0:a=1[out]`, '-map', '[out]', '-ar', '16000', '-ac', '1', out]);
  return out;
}
