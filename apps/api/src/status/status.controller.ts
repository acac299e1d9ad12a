import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ACCEPTED_AUDIO_FORMATS } from '@speech/contracts';
import { AppConfig } from '../config/app-config';
import { TranscriptionEngine } from '../engines/transcription-engine.port';
import { ApiStatusResponses } from '../openapi/routes/service.docs';
import type { ServiceStatusSchema } from '../openapi/schemas/service.schemas';
import { EngineDispatcher } from '../pipeline/engine-dispatcher';
import { SpeechDetection } from '../vad/speech-detection';

const startedAt = Date.now();

/** What the console's status badge and operators want at a glance. */
@ApiTags('status')
@Controller('status')
export class StatusController {
  constructor(
    private readonly engine: TranscriptionEngine,
    private readonly dispatcher: EngineDispatcher,
    private readonly config: AppConfig,
    private readonly detection: SpeechDetection,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Engine, model, queue and limits of this API instance.' })
  @ApiStatusResponses()
  status(): ServiceStatusSchema {
    const engine = this.engine.describe();
    return {
      service: 'speech-platform-api',
      version: process.env['npm_package_version'] ?? '0.1.0',
      uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
      engine: { name: engine.engine, model: engine.model },
      queue: {
        running: this.dispatcher.runningCount,
        waiting: this.dispatcher.queuedCount,
        concurrency: this.dispatcher.concurrency,
        capacity: this.dispatcher.queueSize,
      },
      limits: {
        max_file_size_bytes: this.config.upload.maxFileSize,
        max_audio_seconds: this.config.audio.maxAudioSeconds,
        accepted_formats: ACCEPTED_AUDIO_FORMATS,
      },
      vad: this.detection.state(),
    };
  }
}
