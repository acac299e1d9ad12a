import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { DomainError } from '../common/domain-error';
import type { NormalizedAudio } from '../engines/transcription-engine.port';

export const TARGET_SAMPLE_RATE = 16_000;
const BYTES_PER_SAMPLE = 4;
/** whisper.cpp refuses anything shorter; fail early with a clear message instead. */
export const MIN_AUDIO_SECONDS = 0.1;
const STDERR_TAIL = 4096;
/**
 * Largest single allocation ffmpeg may make. Decoding real audio never needs more than a few MiB at once; a
 * header claiming a 623 MHz sample rate (found by the upload fuzzer) made ffmpeg 4 allocate 1 GB and spin 9 s.
 */
const FFMPEG_MAX_ALLOC_BYTES = 256 * 1024 * 1024;
/** Decoding runs at hundreds of times real time; far beyond this, the file is a decoder trap, not audio. */
export function decodeDeadlineMs(maxSeconds: number): number {
  return 30_000 + maxSeconds * 100;
}

export interface NormalizeRequest {
  readonly inputPath: string;
  readonly outputPath: string;
  readonly maxSeconds: number;
  readonly signal?: AbortSignal;
  /** Kill ffmpeg after this long (default: decodeDeadlineMs(maxSeconds)). */
  readonly deadlineMs?: number;
}

/**
 * The API's one decode: any accepted container → raw f32le, 16 kHz, mono, first audio stream.
 * Decoding stops just past the duration limit, so an over-long file costs little to refuse.
 */
export class AudioNormalizer {
  constructor(private readonly ffmpegPath: string) {}

  async normalize(request: NormalizeRequest): Promise<NormalizedAudio> {
    const { stderr, exitCode } = await this.runFfmpeg(request);
    if (exitCode !== 0) throw classifyFfmpegFailure(stderr);
    const { size } = await stat(request.outputPath);
    const durationSeconds = size / BYTES_PER_SAMPLE / TARGET_SAMPLE_RATE;
    if (durationSeconds > request.maxSeconds) {
      throw new DomainError(
        'AUDIO_TOO_LONG',
        `The audio is longer than the limit of ${request.maxSeconds} seconds for this route.`,
        { limit_seconds: request.maxSeconds },
      );
    }
    if (durationSeconds < MIN_AUDIO_SECONDS) {
      throw new DomainError(
        'UNDECODABLE_AUDIO',
        `The file contains ${Math.round(durationSeconds * 1000)} ms of decodable audio; at least ${MIN_AUDIO_SECONDS * 1000} ms is needed.`,
      );
    }
    return { path: request.outputPath, durationSeconds, sampleRate: TARGET_SAMPLE_RATE };
  }

  private runFfmpeg(request: NormalizeRequest): Promise<{ stderr: string; exitCode: number | null }> {
    const args = [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
      '-max_alloc', String(FFMPEG_MAX_ALLOC_BYTES),
      '-i', request.inputPath,
      '-map', '0:a:0', '-vn', '-sn', '-dn',
      '-ac', '1', '-ar', String(TARGET_SAMPLE_RATE),
      // A little past the limit, so "exactly at the limit" passes and "longer" is detected.
      '-t', String(request.maxSeconds + 1),
      '-f', 'f32le', request.outputPath,
    ];
    return new Promise((resolve, reject) => {
      const child = spawn(this.ffmpegPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_TAIL);
      });
      const onAbort = () => child.kill('SIGKILL');
      request.signal?.addEventListener('abort', onAbort, { once: true });
      const deadlineMs = request.deadlineMs ?? decodeDeadlineMs(request.maxSeconds);
      let overran = false;
      const deadline = setTimeout(() => {
        overran = true;
        child.kill('SIGKILL');
      }, deadlineMs);
      const settle = () => {
        clearTimeout(deadline);
        request.signal?.removeEventListener('abort', onAbort);
      };
      child.on('error', (error) => {
        settle();
        reject(new DomainError('INTERNAL_ERROR', `ffmpeg could not be started: ${error.message}`));
      });
      child.on('close', (exitCode) => {
        settle();
        if (request.signal?.aborted) reject(request.signal.reason);
        else if (overran) reject(new DomainError('UNDECODABLE_AUDIO', `Decoding this file took longer than ${Math.round(deadlineMs / 1000)} s; it is not decodable audio.`));
        else resolve({ stderr, exitCode });
      });
    });
  }
}

/** ffmpeg's message decides between "we cannot decode this codec" (415) and "this file is broken" (422). */
export function classifyFfmpegFailure(stderr: string): DomainError {
  const firstLine = stderr.split('\n').find((line) => line.trim().length > 0)?.trim() ?? 'ffmpeg failed';
  // Writing the decoded audio to TMP_DIR failed: the server's disk, not the file, is the problem.
  if (/No space left on device|Disk quota exceeded/i.test(stderr)) {
    return new DomainError('INSUFFICIENT_STORAGE', 'The server has no disk space left to decode this audio; retry later.', {}, 30);
  }
  if (/matches no streams|does not contain any stream|Output file #0 does not contain/i.test(stderr)) {
    return new DomainError('UNDECODABLE_AUDIO', 'The file contains no audio stream.');
  }
  if (/Decoder \(codec [^)]*\) not found|Unknown codec|unsupported codec|codec not currently supported|no decoder found|Could not find codec parameters/i.test(stderr)) {
    return new DomainError('UNSUPPORTED_MEDIA', `The audio codec in this file is not supported: ${sanitize(firstLine)}`);
  }
  return new DomainError('UNDECODABLE_AUDIO', `The audio could not be decoded: ${sanitize(firstLine)}`);
}

/** ffmpeg prints the input path; keep server paths out of client messages. */
function sanitize(line: string): string {
  return line.replace(/\/[^\s:]*\/(?=[^/\s:]*)/g, '').slice(0, 300);
}
