import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { ACCEPTED_AUDIO_FORMATS, type AudioFormat } from '@speech/contracts';

/** `GET /status` and the health routes. */

@ApiSchema({ name: 'ServiceEngine' })
export class ServiceEngineSchema {
  @ApiProperty({ example: 'local' })
  name!: string;

  @ApiProperty({ example: 'ggml-base.bin' })
  model!: string;
}

@ApiSchema({ name: 'ServiceQueue', description: 'Synchronous transcriptions in this instance.' })
export class ServiceQueueSchema {
  @ApiProperty({ type: 'integer' })
  running!: number;

  @ApiProperty({ type: 'integer' })
  waiting!: number;

  @ApiProperty({ type: 'integer' })
  concurrency!: number;

  @ApiProperty({ type: 'integer' })
  capacity!: number;
}

@ApiSchema({ name: 'ServiceVad', description: 'Speech detection (Silero VAD) before the engine.' })
export class ServiceVadSchema {
  @ApiProperty({ description: 'VAD_ENABLED: false means every request is transcribed whole.' })
  enabled!: boolean;

  @ApiProperty({ description: 'The model is loaded; false with enabled=true: requests that want VAD get 503 MODEL_UNAVAILABLE.' })
  ready!: boolean;

  @ApiProperty({ description: 'The VAD model file.' })
  model!: string;

  @ApiProperty({ required: false, description: 'Why it is not ready, and the fix.' })
  problem?: string;
}

@ApiSchema({ name: 'ServiceLimits' })
export class ServiceLimitsSchema {
  @ApiProperty({ type: 'integer' })
  max_file_size_bytes!: number;

  @ApiProperty()
  max_audio_seconds!: number;

  @ApiProperty({ enum: ACCEPTED_AUDIO_FORMATS, enumName: 'AudioFormat', isArray: true, description: 'Decided by content, not by name.' })
  accepted_formats!: readonly AudioFormat[];
}

@ApiSchema({ name: 'ServiceStatus', description: 'Engine, model, queue and limits of this API instance.' })
export class ServiceStatusSchema {
  @ApiProperty()
  service!: string;

  @ApiProperty()
  version!: string;

  @ApiProperty({ type: 'integer' })
  uptime_seconds!: number;

  @ApiProperty({ type: ServiceEngineSchema })
  engine!: ServiceEngineSchema;

  @ApiProperty({ type: ServiceQueueSchema })
  queue!: ServiceQueueSchema;

  @ApiProperty({ type: ServiceLimitsSchema })
  limits!: ServiceLimitsSchema;

  @ApiProperty({ type: ServiceVadSchema })
  vad!: ServiceVadSchema;
}

@ApiSchema({ name: 'Readiness', description: 'The public readiness answer: nothing but ok.' })
export class ReadinessSchema {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

@ApiSchema({ name: 'Liveness' })
export class LivenessSchema {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({ description: 'true while this instance drains for shutdown (it still answers, and finishes its work).' })
  draining!: boolean;
}

@ApiSchema({ name: 'HealthIndicator', description: "One check's verdict and the facts it reports (model, free bytes, adapter…)." })
export class HealthIndicatorSchema {
  [fact: string]: unknown;

  @ApiProperty({ enum: ['up', 'down'] })
  status!: 'up' | 'down';
}

const INDICATORS = { type: 'object' as const, additionalProperties: { $ref: getSchemaPath(HealthIndicatorSchema) } };

@ApiSchema({ name: 'HealthCheckResult', description: 'Every check by name (terminus).' })
export class HealthCheckResultSchema {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status!: 'ok' | 'error' | 'shutting_down';

  @ApiProperty({ ...INDICATORS, selfRequired: false, description: 'The checks that are up.' })
  info?: Record<string, HealthIndicatorSchema>;

  @ApiProperty({ ...INDICATORS, selfRequired: false, description: 'The checks that are down.' })
  error?: Record<string, HealthIndicatorSchema>;

  @ApiProperty({ ...INDICATORS, description: 'Every check.' })
  details!: Record<string, HealthIndicatorSchema>;
}

@ApiSchema({ name: 'HealthDetail', description: 'Every readiness check, from the cached verdict that /health shares.' })
export class HealthDetailSchema extends HealthCheckResultSchema {
  @ApiProperty({ type: String, format: 'date-time', description: 'When the cached verdict was taken.' })
  checked_at!: string;
}

export const SERVICE_SCHEMAS = [
  ServiceEngineSchema,
  ServiceQueueSchema,
  ServiceLimitsSchema,
  ServiceStatusSchema,
  ReadinessSchema,
  LivenessSchema,
  HealthIndicatorSchema,
  HealthCheckResultSchema,
  HealthDetailSchema,
];
