import { Controller, Delete, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequireScope } from '../auth/route-access';
import { DomainError } from '../common/domain-error';
import { currentRequestId } from '../common/request-context';
import { ModelDownloadManager } from '../engines/model-downloads/model-download-manager';
import { DEFAULT_MODEL_ALIAS, ModelRegistry, type ServedModel } from '../engines/model-registry';
import { TranscriptionEngine } from '../engines/transcription-engine.port';
import { ApiModelDeleteResponses, ApiModelDownloadResponses, ApiModelListResponses, ApiModelResponses } from '../openapi/routes/models.docs';
import type { ModelDeletedSchema, ModelListSchema, ModelObjectSchema } from '../openapi/schemas/model.schemas';
import { streamModelDownload } from './model-download-stream';
import { toModelObject } from './model-object';

/**
 * OpenAI's model listing (`client.models.list()` / `.retrieve()`), with each model's capabilities; and, for the
 * operator, downloading a model (progress as server-sent events) and removing its file.
 */
@ApiTags('openai-compatible')
@RequireScope('transcribe')
@Controller('v1/models')
export class ModelsController {
  constructor(
    private readonly models: ModelRegistry,
    private readonly downloads: ModelDownloadManager,
    private readonly engine: TranscriptionEngine,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The models a request may name in `model` (`client.models.list()`).' })
  @ApiModelListResponses()
  list(): ModelListSchema {
    return { object: 'list', data: this.models.list().map((model) => this.view(model)) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One model (`client.models.retrieve(id)`); `whisper-1` is the default model.' })
  @ApiModelResponses()
  get(@Param('id') id: string): ModelObjectSchema {
    return this.view(this.served(id === DEFAULT_MODEL_ALIAS ? this.models.defaultId : id));
  }

  @Post(':id/download')
  @RequireScope('admin', { openWhenKeysOptional: true })
  @ApiOperation({
    summary: 'Download a served model\'s weights; progress as server-sent events.',
    description:
      'Answers text/event-stream: `model.download.progress` events ({id, received_bytes, total_bytes}), then one ' +
      '`model.download.completed` ({id, size_bytes, sha256}) or `model.download.failed` ({id, error: {code, message, request_id}}). ' +
      'A POST for a model already downloading joins that download; an installed model completes at once. An interrupted ' +
      'transfer resumes (HTTP Range), and the file is checked against the SHA-1 whisper.cpp publishes before it is used.',
  })
  @ApiModelDownloadResponses()
  async download(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const model = this.downloadable(id);
    const download = await this.downloads.start(model.id);
    streamModelDownload(download, request, response, currentRequestId() ?? '');
  }

  @Delete(':id')
  @RequireScope('admin', { openWhenKeysOptional: true })
  @ApiOperation({ summary: 'Remove a downloaded model\'s file (not while it is loaded, busy or downloading).' })
  @ApiModelDeleteResponses()
  remove(@Param('id') id: string): ModelDeletedSchema {
    const model = this.downloadable(id);
    if (this.engine.modelInUse?.(model.id) || this.downloads.progress(model.id)) {
      throw new DomainError(
        'MODEL_IN_USE',
        `Model "${model.id}" is ${this.downloads.progress(model.id) ? 'downloading' : 'loaded or busy'}; it can be removed once it is idle and unloaded (WHISPER_MODEL_IDLE_UNLOAD_SECONDS). The default model is never unloaded.`,
        { model: model.id },
      );
    }
    if (!this.downloads.remove(model.id)) {
      throw new DomainError('MODEL_NOT_FOUND', `Model "${model.id}" is not installed; there is no file to remove.`, { param: 'id' });
    }
    return { id: model.id, object: 'model', deleted: true };
  }

  private view(model: ServedModel): ModelObjectSchema {
    return toModelObject(model, model.id === this.models.defaultId, this.downloads.progress(model.id));
  }

  private served(id: string): ServedModel {
    const model = this.models.get(id);
    if (!model) {
      const valid = [DEFAULT_MODEL_ALIAS, ...this.models.list().map((m) => m.id)];
      throw new DomainError('MODEL_NOT_FOUND', `No model "${id.slice(0, 60)}" is served here; use one of ${valid.join(', ')}.`, { param: 'id', valid });
    }
    return model;
  }

  /** A served model the local engine can download: a catalog name, not a file path nor a remote engine's model. */
  private downloadable(id: string): ServedModel {
    const model = this.served(id);
    if (!model.downloadable) {
      throw new DomainError(
        'MODEL_NOT_DOWNLOADABLE',
        model.engine === 'local'
          ? `Model "${model.id}" is configured as a file path (or is not in whisper.cpp's catalog); its file is managed by hand.`
          : `Model "${model.id}" runs on the ${model.engine} engine, which owns its weights.`,
        { model: model.id },
      );
    }
    return model;
  }
}
