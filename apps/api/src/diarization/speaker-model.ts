import { existsSync } from 'node:fs';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import type { DiarizationConfig } from '../config/app-config';
import type { SpeakerEmbedder } from './speaker-embedder.port';

/** Opens the encoder at a path; the ONNX adapter in production, anything with the port's shape in unit specs. */
export type OpenEmbedder = (modelPath: string, threads: number) => Promise<SpeakerEmbedder>;

/**
 * The process's one speaker encoder, opened on the first request that diarizes (the ONNX runtime costs memory only in
 * processes that use it) and released on shutdown. A missing file is a 503 MODEL_UNAVAILABLE for that request, not a
 * boot failure, and is looked for again on the next one: installing the model needs no restart.
 */
export class SpeakerModel implements OnModuleDestroy {
  private readonly logger = new Logger('SpeakerModel');
  private opening?: Promise<SpeakerEmbedder>;

  constructor(
    private readonly config: DiarizationConfig,
    private readonly open: OpenEmbedder,
  ) {}

  /** Throws the error a diarizing request gets when this server cannot diarize, before any work is spent on it. */
  assertAvailable(): void {
    if (!this.config.enabled) {
      throw new DomainError('INVALID_OPTION', 'Speaker diarization is turned off on this server (DIARIZATION_ENABLED=false).', { param: 'diarize' });
    }
    if (this.opening === undefined && !existsSync(this.config.modelPath)) {
      this.logger.warn({ msg: 'speaker model missing', path: this.config.modelPath });
      throw new DomainError(
        'MODEL_UNAVAILABLE',
        'The speaker diarization model is not installed on this server (see SPEAKER_MODEL; `npm run models:speaker` fetches it).',
        { model: 'speaker' },
      );
    }
  }

  embedder(): Promise<SpeakerEmbedder> {
    this.assertAvailable();
    this.opening ??= this.open(this.config.modelPath, this.config.threads).then(
      (embedder) => {
        this.logger.log({ msg: 'speaker model loaded', threads: this.config.threads });
        return embedder;
      },
      (error: unknown) => {
        this.opening = undefined;
        this.logger.error({ msg: 'speaker model failed to load', error: (error as Error).message });
        throw new DomainError('MODEL_UNAVAILABLE', 'The speaker diarization model could not be loaded on this server.', { model: 'speaker' });
      },
    );
    return this.opening;
  }

  async onModuleDestroy(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    await opening
      ?.then(async (embedder) => {
        await embedder.close();
        this.logger.log({ msg: 'speaker model released' });
      })
      .catch(() => undefined);
  }
}
