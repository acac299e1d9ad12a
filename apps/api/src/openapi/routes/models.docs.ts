import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiResponse } from '@nestjs/swagger';
import { ApiKeyAuth } from '../api-access';
import { ApiOpenAiErrors, KEYED_ROUTE, SERVED_ROUTE } from '../api-errors';
import {
  ModelDeletedSchema,
  ModelDownloadCompletedSchema,
  ModelDownloadFailedSchema,
  ModelDownloadProgressSchema,
  ModelListSchema,
  ModelObjectSchema,
} from '../schemas/model.schemas';
import { oneOf } from '../success';

/** `GET /v1/models` (`client.models.list()`): any key that may transcribe; errors in OpenAI's shape, like every /v1 route. */
export const ApiModelListResponses = (): MethodDecorator =>
  applyDecorators(ApiKeyAuth('transcribe'), ApiOkResponse({ type: ModelListSchema }), ApiOpenAiErrors(...SERVED_ROUTE, ...KEYED_ROUTE));

/** `GET /v1/models/{id}` (`client.models.retrieve(id)`). */
export const ApiModelResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('transcribe'),
    ApiParam({ name: 'id', description: 'A model id from GET /v1/models, or `whisper-1` (the default).' }),
    ApiOkResponse({ type: ModelObjectSchema }),
    ApiOpenAiErrors(...SERVED_ROUTE, ...KEYED_ROUTE, 'MODEL_NOT_FOUND'),
  );

const MODEL_ID = { name: 'id', description: 'A model id from GET /v1/models.' };

/** `POST /v1/models/{id}/download`: admin; 200 is a text/event-stream; refusals before the stream starts are errors. */
export const ApiModelDownloadResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('admin when keys are required'),
    ApiParam(MODEL_ID),
    ApiResponse({
      status: 200,
      description:
        'Server-sent events, each `event: <name>` + `data: <json>`: `model.download.progress` (ModelDownloadProgress, with id), ' +
        'then `model.download.completed` (ModelDownloadCompleted) or `model.download.failed` (ModelDownloadFailed); the stream then ends.',
      content: {
        'text/event-stream': { schema: { ...oneOf(ModelDownloadProgressSchema, ModelDownloadCompletedSchema, ModelDownloadFailedSchema) } },
      },
    }),
    ApiOpenAiErrors(...SERVED_ROUTE, ...KEYED_ROUTE, 'MODEL_NOT_FOUND', 'MODEL_NOT_DOWNLOADABLE', 'MODEL_DOWNLOADS_BUSY'),
  );

/** `DELETE /v1/models/{id}`: admin; removes the file of an installed, idle model. */
export const ApiModelDeleteResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('admin when keys are required'),
    ApiParam(MODEL_ID),
    ApiOkResponse({ type: ModelDeletedSchema }),
    ApiOpenAiErrors(...SERVED_ROUTE, ...KEYED_ROUTE, 'MODEL_NOT_FOUND', 'MODEL_NOT_DOWNLOADABLE', 'MODEL_IN_USE'),
  );
