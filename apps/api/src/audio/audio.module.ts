import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AudioNormalizer } from './audio-normalizer';
import { type FfmpegBinary, locateFfmpeg } from './ffmpeg-locator';

export const FFMPEG = Symbol('FFMPEG');

@Module({
  providers: [
    // Located once at boot: a missing ffmpeg stops the start with a message that names the fix.
    { provide: FFMPEG, inject: [AppConfig], useFactory: (config: AppConfig): FfmpegBinary => locateFfmpeg(config.audio.ffmpegPath) },
    { provide: AudioNormalizer, inject: [FFMPEG], useFactory: (ffmpeg: FfmpegBinary) => new AudioNormalizer(ffmpeg.path) },
  ],
  exports: [AudioNormalizer, FFMPEG],
})
export class AudioModule {}
