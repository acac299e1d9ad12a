import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { ApiKeyAuth } from '../api-access';
import { ApiOpenAiErrors, KEYED_ROUTE, SERVED_ROUTE } from '../api-errors';
import { ModelListSchema, ModelObjectSchema } from '../schemas/model.schemas';

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
