import { access } from 'node:fs/promises';
import { DomainError } from '../common/domain-error';
import type { VadConfig } from '../config/app-config';
import { SileroOnnxDetector } from './silero-onnx.detector';
import type { SpeechDetector } from './speech-detector.port';

/** What /status and /health/detail show about the VAD stage. */
export interface SpeechDetectionState {
  /** VAD_ENABLED. */
  readonly enabled: boolean;
  /** A model is loaded and requests are cut by it. */
  readonly ready: boolean;
  readonly model: string;
  /** Why it is not ready, with the fix. */
  readonly problem?: string;
}

/**
 * The process's one VAD model, loaded at boot (also the DI token). A missing or unreadable model file does not stop
 * the service: it starts, /health/detail's `vad` check is down (so /health answers NOT_READY, as for a missing
 * Whisper model), and requests that want VAD (the default) are refused with MODEL_UNAVAILABLE naming the file and
 * the fix; `vad=false` requests still work. Transcribing them without VAD instead would quietly bring back the
 * text Whisper invents over silence, which VAD is on by default to prevent.
 */
export class SpeechDetection {
  private constructor(
    private readonly config: VadConfig,
    private readonly detector: SpeechDetector | undefined,
    private readonly problem: string | undefined,
  ) {}

  static async load(config: VadConfig, load: (path: string, threads: number) => Promise<SpeechDetector> = defaultLoader): Promise<SpeechDetection> {
    if (!config.enabled) return new SpeechDetection(config, undefined, undefined);
    try {
      await access(config.modelPath);
    } catch {
      return new SpeechDetection(config, undefined, `The VAD model ${config.modelPath} is missing: run \`npm run models:vad\` (or set VAD_MODEL_PATH), or set VAD_ENABLED=false.`);
    }
    try {
      return new SpeechDetection(config, await load(config.modelPath, config.threads), undefined);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return new SpeechDetection(config, undefined, `The VAD model ${config.modelPath} could not be loaded (${reason}); set VAD_MODEL_PATH to a Silero v6 ONNX file, or VAD_ENABLED=false.`);
    }
  }

  /** A detection set up for tests or a caller that loaded its own model. */
  static of(detector: SpeechDetector | undefined, config: Partial<VadConfig> = {}): SpeechDetection {
    return new SpeechDetection({ enabled: detector !== undefined, modelPath: 'in-memory', threads: 1, ...config }, detector, undefined);
  }

  /** False when VAD_ENABLED=false: every request is then transcribed whole. */
  get enabled(): boolean {
    return this.config.enabled;
  }

  /** The loaded detector, or MODEL_UNAVAILABLE (503) saying why there is none. */
  require(): SpeechDetector {
    if (this.detector) return this.detector;
    throw new DomainError('MODEL_UNAVAILABLE', `Speech detection is unavailable. ${this.problem ?? 'VAD is turned off on this server.'} Send vad=false to transcribe without it.`);
  }

  state(): SpeechDetectionState {
    return {
      enabled: this.config.enabled,
      ready: this.detector !== undefined,
      model: this.config.modelPath,
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  async close(): Promise<void> {
    await this.detector?.close();
  }
}

function defaultLoader(path: string, threads: number): Promise<SpeechDetector> {
  return SileroOnnxDetector.load(path, { threads });
}
