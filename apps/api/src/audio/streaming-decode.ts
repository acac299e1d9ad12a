import type { Writable } from 'node:stream';
import type { AudioFormat } from '@speech/contracts';
import { DomainError } from '../common/domain-error';
import { decodeArgs, type DecodedAudio, decodeDeadlineMs, decodeOutputBytes, judgeDecodedOutput } from './audio-normalizer';
import type { DecodeGate } from './decode-gate';
import { lockedPipeInputArgs } from './ffmpeg-input';
import { type FfmpegRun, FfmpegProcess } from './ffmpeg-process';

/** An upload decoded while it arrived: what the pipeline's prepare stage takes instead of a file. */
export interface DecodeOnArrival {
  readonly format: AudioFormat;
  /** The decoded audio once the upload is in and ffmpeg is done; it fails exactly as a decode of the file would. */
  result(signal?: AbortSignal): Promise<DecodedAudio>;
  /** Stop ffmpeg if it still runs and free its decode slot; safe to call again, and after the result. */
  dispose(): void;
}

export interface StreamingDecodeRequest {
  readonly format: AudioFormat;
  readonly outputPath: string;
  readonly maxSeconds: number;
  /** The length the header declares, for a format whose length ffmpeg reports only from a file (mp3: Xing/Info). */
  readonly headerSeconds?: number;
}

/**
 * Starts decodes that read an upload from ffmpeg's stdin while it arrives — one pass over the bytes, no second read
 * of a file. Only with a decode slot free now (DecodeGate.tryAcquire): a client that is still sending must not wait
 * in the decode queue, so without one the upload goes to a file and is decoded afterwards, in turn.
 */
export class StreamingDecoder {
  constructor(
    private readonly ffmpegPath: string,
    private readonly gate: DecodeGate,
  ) {}

  tryStart(request: StreamingDecodeRequest): StreamingDecode | undefined {
    const release = this.gate.tryAcquire(decodeOutputBytes(request.maxSeconds));
    return release ? new StreamingDecode(this.ffmpegPath, request, release) : undefined;
  }
}

/**
 * One decode fed chunk by chunk: ffmpeg is opened as the sniffed format only (lockedPipeInputArgs: forced demuxer,
 * format whitelist, pipe as the only protocol) and writes the same 16 kHz mono output a file decode writes.
 *
 * Bounds, the same as a file decode's: the output stops just past the duration limit (ffmpeg then stops reading;
 * the rest of the upload is still received, and counted, by the caller); once the input is complete ffmpeg gets
 * decodeDeadlineMs(limit, size) to finish; and while the upload arrives, ffmpeg may hold back its input (a full
 * pipe) only that long too — a decoder that spins instead of reading is a trap, not slow audio.
 */
export class StreamingDecode implements DecodeOnArrival {
  readonly format: AudioFormat;
  private readonly ffmpeg: FfmpegProcess;
  private readonly stdin: Writable;
  private readonly stop = new AbortController();
  private readonly outcome: Promise<DecodedAudio>;
  private inputBytes = 0;
  private inputEnded!: () => void;
  private readonly inputComplete: Promise<void>;

  constructor(ffmpegPath: string, private readonly request: StreamingDecodeRequest, release: () => void) {
    this.format = request.format;
    this.ffmpeg = new FfmpegProcess(ffmpegPath, decodeArgs(lockedPipeInputArgs(request.format), request), { stdin: true, signal: this.stop.signal });
    const stdin = this.ffmpeg.stdin;
    if (!stdin) throw new Error('ffmpeg was started without a stdin pipe');
    this.stdin = stdin;
    // EPIPE once ffmpeg stops reading (the duration limit reached, or the input refused): its exit status says which.
    stdin.on('error', () => undefined);
    this.inputComplete = new Promise((resolve) => (this.inputEnded = resolve));
    const exited = this.ffmpeg.done.finally(release);
    // Judged once both are over: the size of the whole upload takes part in the damage rule (decode-integrity.ts).
    this.outcome = Promise.all([exited, this.inputComplete]).then(([run]: [FfmpegRun, void]) => judgeDecodedOutput(request, run, this.inputBytes, request.headerSeconds));
    this.outcome.catch(() => undefined); // read by result(); an unread failure (the request failed first) is no crash
  }

  /** Feed the next chunk; resolves when ffmpeg can take more (backpressure reaches the client's socket). */
  write(chunk: Buffer): Promise<void> {
    this.inputBytes += chunk.length;
    const { stdin } = this;
    if (this.ffmpeg.hasExited || !stdin.writable) return Promise.resolve();
    if (stdin.write(chunk)) return Promise.resolve();
    this.ffmpeg.armDeadline(decodeDeadlineMs(this.request.maxSeconds, this.inputBytes));
    return new Promise((resolve) => {
      const resume = () => {
        stdin.off('drain', resume);
        stdin.off('close', resume);
        this.ffmpeg.disarmDeadline();
        resolve();
      };
      stdin.once('drain', resume);
      stdin.once('close', resume);
      void this.ffmpeg.done.then(resume, resume);
    });
  }

  /** The whole upload was fed: ffmpeg now has decodeDeadlineMs(limit, size) to finish. */
  end(): void {
    if (this.stdin.writable) this.stdin.end();
    this.ffmpeg.armDeadline(decodeDeadlineMs(this.request.maxSeconds, this.inputBytes));
    this.inputEnded();
  }

  result(signal?: AbortSignal): Promise<DecodedAudio> {
    if (!signal) return this.outcome;
    if (signal.aborted) {
      this.dispose(signal.reason);
      return Promise.reject(signal.reason);
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.dispose(signal.reason);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.outcome.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  dispose(reason: unknown = new DomainError('CANCELLED', 'The decode was stopped.')): void {
    if (!this.stop.signal.aborted && !this.ffmpeg.hasExited) this.stop.abort(reason);
    this.inputEnded();
  }
}
