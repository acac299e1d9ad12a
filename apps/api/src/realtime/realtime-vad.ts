import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { SileroOnnxDetector } from '../vad/silero-onnx.detector';
import type { SpeechDetector } from '../vad/speech-detector.port';

/**
 * The Silero model for turn detection, loaded on the first session (not at boot: a process that never serves a
 * realtime session pays nothing) and shared by every session, each with its own stateful pass.
 */
@Injectable()
export class RealtimeVad implements OnApplicationShutdown {
  private readonly logger = new Logger('RealtimeVad');
  private loading?: Promise<SpeechDetector>;

  constructor(private readonly config: AppConfig) {}

  /** The detector, or MODEL_UNAVAILABLE when the weights cannot be loaded (a later session tries again). */
  async detector(): Promise<SpeechDetector> {
    this.loading ??= SileroOnnxDetector.load(this.config.realtime.vadModelPath);
    try {
      return await this.loading;
    } catch (error) {
      this.loading = undefined;
      this.logger.error({ msg: 'VAD model could not be loaded', path: this.config.realtime.vadModelPath, error: String(error) });
      throw new DomainError('MODEL_UNAVAILABLE', 'The voice activity model for realtime sessions is not available (see VAD_MODEL_PATH and `npm run models:vad`).');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    await (await loading?.catch(() => undefined))?.close();
  }
}
