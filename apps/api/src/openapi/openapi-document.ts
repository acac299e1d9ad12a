import { MODEL_SCHEMAS } from './schemas/model.schemas';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_HEADER_SCHEME, BEARER_SCHEME } from './api-access';
import { ERROR_SCHEMAS } from './schemas/error.schemas';
import { JOB_SCHEMAS } from './schemas/job.schemas';
import { SERVICE_SCHEMAS } from './schemas/service.schemas';
import { TRANSCRIPTION_SCHEMAS } from './schemas/transcription.schemas';
import { TRANSCRIPT_STREAM_SCHEMAS } from './schemas/transcript-stream.schemas';

export const OPENAPI_JSON_PATH = 'api/docs/openapi.json';

/** Schemas that carry more members than they name: problem+json extensions, a health check's own facts. */
const OPEN_SCHEMAS = ['ProblemDetails', 'HealthIndicator'];

/**
 * The API's OpenAPI document, built from the controllers' decorators and the schema classes in this folder.
 * Every schema class is registered, so types only named in descriptions (JobEvent, JobWebhookPayload) reach the
 * generated console client too.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Speech platform API')
    .setDescription(
      'Self-hosted speech-to-text: native routes, OpenAI-compatible /v1/audio routes, health and metrics. Errors are ' +
        'problem+json (RFC 7807) with a stable `code`, or OpenAI\'s error envelope on /v1. API keys are required when ' +
        'the server runs with API_KEYS_REQUIRED=true; otherwise calls without a key run as the anonymous owner.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (`spk_…`) as a bearer token, as the OpenAI SDKs send it.' }, BEARER_SCHEME)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The same API key in the x-api-key header.' }, API_KEY_HEADER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [...ERROR_SCHEMAS, ...JOB_SCHEMAS, ...TRANSCRIPTION_SCHEMAS, ...TRANSCRIPT_STREAM_SCHEMAS, ...SERVICE_SCHEMAS, ...MODEL_SCHEMAS],
  });
  for (const name of OPEN_SCHEMAS) {
    const schema = document.components?.schemas?.[name];
    if (schema && !('$ref' in schema)) schema.additionalProperties = true;
  }
  return document;
}

export function serveOpenApiDocument(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: OPENAPI_JSON_PATH });
}
