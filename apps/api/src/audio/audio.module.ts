import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AudioNormalizer } from './audio-normalizer';
import { DecodeGate } from './decode-gate';
import { type FfmpegBinary, locateFfmpeg } from './ffmpeg-locator';
import { StreamingDecoder } from './streaming-decode';

export const FFMPEG = Symbol('FFMPEG');

@Module({
  providers: [
    // Located once at boot: a missing ffmpeg stops the start with a message that names the fix.
    { provide: FFMPEG, inject: [AppConfig], useFactory: (config: AppConfig): FfmpegBinary => locateFfmpeg(config.audio.ffmpegPath) },
    // One gate per process: every decode (sync requests and job workers) passes through it.
    { provide: DecodeGate, inject: [AppConfig], useFactory: (config: AppConfig) => new DecodeGate(config.audio.decode) },
    { provide: AudioNormalizer, inject: [FFMPEG, DecodeGate], useFactory: (ffmpeg: FfmpegBinary, gate: DecodeGate) => new AudioNormalizer(ffmpeg.path, gate) },
    // Decodes fed while an upload arrives; the same gate, so they count against the same slots and temp budget.
    { provide: StreamingDecoder, inject: [FFMPEG, DecodeGate], useFactory: (ffmpeg: FfmpegBinary, gate: DecodeGate) => new StreamingDecoder(ffmpeg.path, gate) },
  ],
  exports: [AudioNormalizer, DecodeGate, StreamingDecoder, FFMPEG],
})
export class AudioModule {}
