import type { AudioFormat } from '@speech/contracts';
import type { ApiResponses } from './generated/api.generated';

/**
 * `GET /status`. The OpenAPI document does not describe this body yet (the generated type is `unknown`),
 * so its shape is written here from the API's StatusController.
 */
export interface ServiceStatus {
  service: string;
  version: string;
  uptime_seconds: number;
  engine: { name: string; model: string };
  queue: { running: number; waiting: number; concurrency: number; capacity: number };
  limits: { max_file_size_bytes: number; max_audio_seconds: number; accepted_formats: AudioFormat[] };
}

export type HealthReport = ApiResponses['GET /health'];
