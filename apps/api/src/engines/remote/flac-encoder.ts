import { spawn } from 'node:child_process';
import { DomainError } from '../../common/domain-error';
import type { NormalizedAudio } from '../transcription-engine.port';

/**
 * Network engines get the normalized audio as 16 kHz mono 16-bit FLAC: lossless for ASR purposes and
 * ~0.5 MB per minute, so a 6 MiB real-time SageMaker call carries about 12 minutes.
 */
export function encodeFlac(ffmpegPath: string, audio: NormalizedAudio, outputPath: string, signal: AbortSignal): Promise<void> {
  const args = [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'f32le', '-ar', String(audio.sampleRate), '-ac', '1', '-i', audio.path,
    '-c:a', 'flac', '-sample_fmt', 's16', '-compression_level', '5', outputPath,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    const onAbort = () => child.kill('SIGKILL');
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => reject(new DomainError('INTERNAL_ERROR', `ffmpeg could not be started: ${error.message}`)));
    child.on('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) reject(signal.reason);
      else if (code === 0) resolve();
      else reject(new DomainError('INTERNAL_ERROR', `FLAC encoding failed: ${stderr.trim().split('\n')[0] ?? code}`));
    });
  });
}
