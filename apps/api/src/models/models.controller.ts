import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/route-access';
import { DomainError } from '../common/domain-error';
import { DEFAULT_MODEL_ALIAS, ModelRegistry } from '../engines/model-registry';
import { ApiModelListResponses, ApiModelResponses } from '../openapi/routes/models.docs';
import type { ModelListSchema, ModelObjectSchema } from '../openapi/schemas/model.schemas';
import { toModelObject } from './model-object';

/** OpenAI's model listing (`client.models.list()` / `.retrieve()`), with each model's capabilities. */
@ApiTags('openai-compatible')
@RequireScope('transcribe')
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly models: ModelRegistry) {}

  @Get()
  @ApiOperation({ summary: 'The models a request may name in `model` (`client.models.list()`).' })
  @ApiModelListResponses()
  list(): ModelListSchema {
    return { object: 'list', data: this.models.list().map((model) => toModelObject(model, model.id === this.models.defaultId)) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One model (`client.models.retrieve(id)`); `whisper-1` is the default model.' })
  @ApiModelResponses()
  get(@Param('id') id: string): ModelObjectSchema {
    const model = this.models.get(id === DEFAULT_MODEL_ALIAS ? this.models.defaultId : id);
    if (!model) {
      const valid = [DEFAULT_MODEL_ALIAS, ...this.models.list().map((m) => m.id)];
      throw new DomainError('MODEL_NOT_FOUND', `No model "${id.slice(0, 60)}" is served here; use one of ${valid.join(', ')}.`, { param: 'id', valid });
    }
    return toModelObject(model, model.id === this.models.defaultId);
  }
}
