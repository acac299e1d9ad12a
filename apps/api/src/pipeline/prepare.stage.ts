import { Injectable, Logger } from '@nestjs/common';
import type { AudioFormat } from '@speech/contracts';
import { AudioNormalizer, type DecodedAudio } from '../audio/audio-normalizer';
import type { DecodeOnArrival } from '../audio/streaming-decode';

export interface PrepareCall {
  /** The uploaded file, its format already decided by content (audio-format.ts). */
  readonly inputPath: string;
  readonly format: AudioFormat;
  /** Where the 16 kHz mono f32le audio is written; the caller owns (and deletes) it. */
  readonly outputPath: string;
  readonly maxSeconds: number;
  readonly signal?: AbortSignal;
  /** Job work: waits for a decode slot rather than being refused with DECODE_BUSY. */
  readonly background?: boolean;
}

/** An upload as a sync request hands it over: a file to decode, or a decode that ran while it arrived. */
export type UploadedAudio =
  | { readonly path: string; readonly format: AudioFormat }
  | { readonly format: AudioFormat; readonly decodedOnArrival: DecodeOnArrival };

/**
 * Stage 1: the one decode of an upload to 16 kHz mono f32le, opened only as the sniffed format
 * (audio/ffmpeg-input.ts), bounded by the decode gate, stopped just past the duration limit. A sync upload may have
 * been decoded already while it arrived (upload/streaming-audio-storage.ts, same decoder arguments, same limits):
 * then this stage only waits for that decode's outcome.
 */
@Injectable()
export class PrepareStage {
  private readonly logger = new Logger('PrepareStage');

  constructor(private readonly normalizer: AudioNormalizer) {}

  async run(call: PrepareCall): Promise<DecodedAudio> {
    return this.logged(call.format, false, await this.normalizer.normalize(call));
  }

  /** The upload's audio: the decode on arrival's outcome, or a decode of the file now. */
  async runUpload(input: UploadedAudio, call: Omit<PrepareCall, 'inputPath' | 'format'>): Promise<DecodedAudio> {
    if ('decodedOnArrival' in input) return this.logged(input.format, true, await input.decodedOnArrival.result(call.signal));
    return this.run({ ...call, inputPath: input.path, format: input.format });
  }

  private logged(format: AudioFormat, onArrival: boolean, audio: DecodedAudio): DecodedAudio {
    this.logger.log({
      msg: 'audio decoded',
      format,
      on_arrival: onArrival,
      audio_seconds: Math.round(audio.durationSeconds * 100) / 100,
      warnings: audio.warnings.map((warning) => warning.code),
    });
    return audio;
  }
}
