import { stat } from 'node:fs/promises';
import type { AudioFormat, AudioWarning } from '@speech/contracts';
import { DomainError } from '../common/domain-error';
import type { NormalizedAudio } from './decoded-audio';
import { DecodeGate } from './decode-gate';
import { judgeDecode } from './decode-integrity';
import { lockedInputArgs } from './ffmpeg-input';
import { type FfmpegRun, FfmpegProcess } from './ffmpeg-process';

export const TARGET_SAMPLE_RATE = 16_000;
const BYTES_PER_SAMPLE = 4;
/** whisper.cpp refuses anything shorter; fail early with a clear message instead. */
export const MIN_AUDIO_SECONDS = 0.1;
/**
 * Largest single allocation ffmpeg may make. Decoding real audio never needs more than a few MiB at once; a
 * header claiming a 623 MHz sample rate (found by the upload fuzzer) made ffmpeg 4 allocate 1 GB and spin 9 s.
 */
const FFMPEG_MAX_ALLOC_BYTES = 256 * 1024 * 1024;
/** Decoding stops this far past the limit, so "exactly at the limit" passes and "longer" is detected. */
const DECODE_PAST_LIMIT_SECONDS = 1;

/**
 * Decoding runs at hundreds of times real time; far beyond this, the file is a decoder trap, not audio. Two bounds,
 * the smaller wins: one from the duration limit (30 s + 0.1 s per second of allowed audio) and one from the input's
 * size (10 s + 10 s per MiB: even 6 kbit/s Opus, the densest audio we accept, decodes 1 MiB in a few seconds).
 */
export function decodeDeadlineMs(maxSeconds: number, inputBytes = Number.POSITIVE_INFINITY): number {
  const byLimit = 30_000 + maxSeconds * 100;
  const bySize = 10_000 + (inputBytes / 1048576) * 10_000;
  return Math.round(Math.min(byLimit, bySize));
}

/** Temp disk one decode may fill: its output is f32 mono 16 kHz and stops at the limit + 1 s. */
export function decodeOutputBytes(maxSeconds: number): number {
  return Math.ceil((maxSeconds + DECODE_PAST_LIMIT_SECONDS) * TARGET_SAMPLE_RATE * BYTES_PER_SAMPLE);
}

export interface NormalizeRequest {
  readonly inputPath: string;
  /** What the sniffer decided: ffmpeg opens the file with this demuxer and no other. */
  readonly format: AudioFormat;
  readonly outputPath: string;
  readonly maxSeconds: number;
  readonly signal?: AbortSignal;
  /** Kill ffmpeg after this long (default: decodeDeadlineMs(maxSeconds, input size)). */
  readonly deadlineMs?: number;
  /** Job work: waits for a decode slot instead of being refused when the queue is full. */
  readonly background?: boolean;
}

export interface DecodedAudio extends NormalizedAudio {
  /** Non-empty when part of the file could not be decoded (see decode-integrity.ts). */
  readonly warnings: AudioWarning[];
}

/**
 * The API's one decode: the sniffed container → raw f32le, 16 kHz, mono, first audio stream. ffmpeg may open the
 * file only as the sniffed format (ffmpeg-input.ts); decodes are bounded per process (decode-gate.ts); decoding
 * stops just past the duration limit, so an over-long file costs little to refuse; and a file that is mostly
 * undecodable is refused rather than transcribed as silence (decode-integrity.ts).
 */
export class AudioNormalizer {
  constructor(
    private readonly ffmpegPath: string,
    private readonly gate: DecodeGate,
  ) {}

  async normalize(request: NormalizeRequest): Promise<DecodedAudio> {
    const { size: inputBytes } = await stat(request.inputPath);
    const release = await this.gate.acquire(decodeOutputBytes(request.maxSeconds), { signal: request.signal, background: request.background });
    let run: FfmpegRun;
    try {
      const ffmpeg = new FfmpegProcess(this.ffmpegPath, decodeArgs(lockedInputArgs(request.format, request.inputPath), request), { stdin: false, signal: request.signal });
      ffmpeg.armDeadline(request.deadlineMs ?? decodeDeadlineMs(request.maxSeconds, inputBytes));
      run = await ffmpeg.done;
    } finally {
      release();
    }
    return judgeDecodedOutput(request, run, inputBytes);
  }
}

/** What one decode writes, whatever its input: f32le 16 kHz mono of the first audio stream, stopped past the limit. */
export function decodeArgs(inputArgs: readonly string[], output: { readonly outputPath: string; readonly maxSeconds: number }): string[] {
  return [
    // level+info: the container's declared duration (an info line) and decoder errors, each tagged with its level.
    '-nostdin', '-nostats', '-hide_banner', '-loglevel', 'level+info', '-y',
    '-max_alloc', String(FFMPEG_MAX_ALLOC_BYTES),
    ...inputArgs,
    '-map', '0:a:0', '-vn', '-sn', '-dn',
    '-ac', '1', '-ar', String(TARGET_SAMPLE_RATE),
    '-t', String(output.maxSeconds + DECODE_PAST_LIMIT_SECONDS),
    '-f', 'f32le', `file:${output.outputPath}`,
  ];
}

/**
 * The decoded audio a finished ffmpeg run left at `outputPath`, or why there is none: ffmpeg's failure classified,
 * too long, too short, or mostly undecodable (decode-integrity.ts).
 */
export async function judgeDecodedOutput(
  request: { readonly format: AudioFormat; readonly outputPath: string; readonly maxSeconds: number },
  run: FfmpegRun,
  inputBytes: number,
  /** The length the header declares where ffmpeg reports none (an mp3 read from a pipe: stream-sniffer.ts). */
  headerSeconds?: number,
): Promise<DecodedAudio> {
  if (run.exitCode !== 0) throw classifyFfmpegFailure(run.log.errors);
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
  const warnings = judgeDecode({
    format: request.format,
    inputBytes,
    decodedSeconds: durationSeconds,
    declaredSeconds: run.log.durationIsEstimate ? undefined : (run.log.declaredSeconds ?? headerSeconds),
    decoderErrors: run.log.errorCount,
    decodeCapSeconds: request.maxSeconds + DECODE_PAST_LIMIT_SECONDS,
  });
  return { path: request.outputPath, durationSeconds, sampleRate: TARGET_SAMPLE_RATE, warnings };
}

/**
 * ffmpeg's error lines decide between "we cannot decode this codec" (415) and "this file is broken" (422). The
 * messages are fixed texts: nothing ffmpeg printed (decoder internals, server paths) reaches the client.
 */
export function classifyFfmpegFailure(errors: string): DomainError {
  // Writing the decoded audio to TMP_DIR failed: the server's disk, not the file, is the problem.
  if (/No space left on device|Disk quota exceeded/i.test(errors)) {
    return new DomainError('INSUFFICIENT_STORAGE', 'The server has no disk space left to decode this audio; retry later.', {}, 30);
  }
  if (/matches no streams|does not contain any stream|Output file #0 does not contain/i.test(errors)) {
    return new DomainError('UNDECODABLE_AUDIO', 'The file contains no audio stream.');
  }
  if (/Decoder \(codec [^)]*\) not found|Unknown codec|unsupported codec|codec not currently supported|no decoder found|Could not find codec parameters/i.test(errors)) {
    return new DomainError('UNSUPPORTED_MEDIA', 'The audio codec in this file is not supported.');
  }
  return new DomainError('UNDECODABLE_AUDIO', 'The audio could not be decoded: the file is damaged, or its content does not match its format.');
}
