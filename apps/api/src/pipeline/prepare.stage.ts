import { Injectable, Logger } from '@nestjs/common';
import type { AudioFormat } from '@speech/contracts';
import { AudioNormalizer, type DecodedAudio } from '../audio/audio-normalizer';

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

/**
 * Stage 1: the one decode of an upload to 16 kHz mono f32le, opened only as the sniffed format
 * (audio/ffmpeg-input.ts), bounded by the decode gate, stopped just past the duration limit.
 */
@Injectable()
export class PrepareStage {
  private readonly logger = new Logger('PrepareStage');

  constructor(private readonly normalizer: AudioNormalizer) {}

  async run(call: PrepareCall): Promise<DecodedAudio> {
    const audio = await this.normalizer.normalize(call);
    this.logger.log({
      msg: 'audio decoded',
      format: call.format,
      audio_seconds: Math.round(audio.durationSeconds * 100) / 100,
      warnings: audio.warnings.map((warning) => warning.code),
    });
    return audio;
  }
}
