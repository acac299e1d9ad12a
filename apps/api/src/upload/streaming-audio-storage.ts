import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { AudioFormat } from '@speech/contracts';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { unsupportedMedia } from '../audio/format-sniffer';
import { StreamSniffer } from '../audio/stream-sniffer';
import type { DecodeOnArrival, StreamingDecode, StreamingDecodeRequest } from '../audio/streaming-decode';
import type { DomainError } from '../common/domain-error';
import { planUpload, type UploadPlan, type UploadUse } from './upload-plan';

/** The upload as the storage received it. */
export interface ReceivedAudio {
  readonly size: number;
  /** Where the upload was written, when it was (a job needs it, or no decode could start while it arrived). */
  readonly path?: string;
  /** Decided while the upload arrived, by the file sniffer's rules; undefined only for an empty upload. */
  readonly format?: AudioFormat;
  /** The decode that ran while the upload arrived, when one could. */
  readonly decodedOnArrival?: DecodeOnArrival;
}

export interface StreamingAudioStorageOptions {
  readonly use: UploadUse;
  /** Where the upload is written when it is kept (never the client's file name). */
  readonly filePath: string;
  /** Where a decode on arrival writes its 16 kHz mono output (the pipeline's decodedPath). */
  readonly decodedPath: string;
  readonly maxSeconds: number;
  readonly decoder: { tryStart(request: StreamingDecodeRequest): StreamingDecode | undefined };
  /** Told as soon as the upload is known not to be accepted audio, while the rest of the body may still arrive. */
  readonly onRefused: (error: DomainError) => void;
  /** Bytes held in memory while the format is undecided (an ID3 tag may be long); past it they go to the file. */
  readonly maxHeldBytes?: number;
}

/** Two of the largest ID3 tags in ordinary files (cover art included) fit; a bigger tag goes through the file. */
const DEFAULT_MAX_HELD_BYTES = 1024 * 1024;

/**
 * A multer storage engine for one request's one audio file. It sniffs the first bytes as they arrive
 * (StreamSniffer: the same rules as the file sniffer), refuses a non-audio upload at once (onRefused, before the
 * body is read), and then, by the route's plan (upload-plan.ts), pipes the bytes into a decode that runs while the
 * upload arrives, writes them to the request's temp folder, or both. Backpressure from either reaches the client's
 * socket, so memory stays bounded. On any failure — client gone, disk full, size limit, refusal — the decode is
 * killed and the partial file removed (dispose), as multer's own disk storage would remove it.
 */
export class StreamingAudioStorage implements StorageEngine {
  /** Set once the file part was received whole. */
  received: ReceivedAudio | undefined;
  private file: WriteStream | undefined;
  private decode: StreamingDecode | undefined;
  private format: AudioFormat | undefined;
  private sinksOpen = false;
  private readonly sniffer = new StreamSniffer();

  constructor(private readonly options: StreamingAudioStorageOptions) {}

  _handleFile(_request: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void): void {
    this.receive(file.stream).then(
      (received) => {
        this.received = received;
        callback(null, { size: received.size, ...(received.path ? { path: received.path } : {}) });
      },
      (error: unknown) => callback(error),
    );
  }

  _removeFile(_request: Request, _file: Express.Multer.File, callback: (error: Error | null) => void): void {
    this.dispose().then(() => callback(null), callback);
  }

  /** Kill the decode if it runs and remove the partial or whole file. Safe to call more than once. */
  async dispose(): Promise<void> {
    this.decode?.dispose();
    if (this.file) {
      this.file.destroy();
      await rm(this.options.filePath, { force: true });
    }
  }

  private async receive(stream: Readable): Promise<ReceivedAudio> {
    const sniffer = this.sniffer;
    const maxHeld = this.options.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES;
    let held: Buffer[] = [];
    let heldBytes = 0;
    let size = 0;
    try {
      // Not destroyed by the loop on a failure of ours: the catch below destroys it with that failure, so multer
      // (which listens to the file stream) reports the disk-full or refusal error, not a generic "aborted".
      for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (!this.format) this.judge(sniffer.push(chunk));
        if (!this.sinksOpen) {
          held.push(chunk);
          heldBytes += chunk.length;
          if (heldBytes <= maxHeld) continue;
          // Still undecided: keep sniffing (a refusal still comes early), but hold no more bytes in memory.
          this.openSinks({ decodeOnArrival: false, keepFile: true });
        } else {
          held.push(chunk);
        }
        for (const part of held) await this.forward(part);
        held = [];
        heldBytes = 0;
      }
      // An empty upload is not refused here: the interceptor answers EMPTY_FILE for it, as before.
      if (size === 0) return { size };
      if (!this.format) this.judge(sniffer.end());
      for (const part of held) await this.forward(part);
      if (this.file) {
        this.file.end();
        await finished(this.file);
      }
      this.decode?.end();
      return { size, path: this.file ? this.options.filePath : undefined, format: this.format, decodedOnArrival: this.decode };
    } catch (error) {
      if (!stream.destroyed) stream.destroy(error as Error);
      await this.dispose();
      throw error;
    }
  }

  /** A verdict from the sniffer: refuse, or open where the bytes go. */
  private judge(verdict: ReturnType<StreamSniffer['push']>): void {
    if (verdict.kind === 'pending') return;
    if (verdict.kind === 'unsupported') {
      const error = unsupportedMedia();
      this.options.onRefused(error);
      throw error;
    }
    this.format = verdict.format;
    if (!this.sinksOpen) this.openSinks(planUpload(this.options.use, verdict.format));
  }

  private openSinks(plan: UploadPlan): void {
    this.sinksOpen = true;
    const { format } = this;
    if (plan.decodeOnArrival && format) {
      const headerSeconds = format === 'mp3' ? this.sniffer.mp3DeclaredSeconds() : undefined;
      this.decode = this.options.decoder.tryStart({ format, outputPath: this.options.decodedPath, maxSeconds: this.options.maxSeconds, headerSeconds });
    }
    if (plan.keepFile || !this.decode) {
      this.file = createWriteStream(this.options.filePath, { mode: 0o600 });
      // Kept for forward() and finished(): an error (ENOSPC) while no one waits must not go unhandled.
      this.file.on('error', () => undefined);
    }
  }

  private async forward(chunk: Buffer): Promise<void> {
    await Promise.all([this.file ? writeTo(this.file, chunk) : undefined, this.decode?.write(chunk)]);
  }
}

async function writeTo(file: WriteStream, chunk: Buffer): Promise<void> {
  if (file.errored) throw file.errored;
  if (!file.write(chunk)) {
    // 'close' too: a file destroyed by dispose() never drains; after an error (a full disk) 'close' follows it.
    await new Promise<void>((resolve) => {
      const settle = () => {
        file.off('drain', settle);
        file.off('close', settle);
        resolve();
      };
      file.on('drain', settle);
      file.on('close', settle);
    });
  }
  if (file.errored) throw file.errored;
  if (file.destroyed) throw new Error('The upload file was closed while the upload arrived.');
}
