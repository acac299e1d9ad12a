import { Controller, HttpCode, Post, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireScope } from '../auth/route-access';
import { ApiOpenAiAudioResponses } from '../openapi/routes/transcription.docs';
import { SyncRequestSlotGuard } from '../fair-share/sync-request-slot.guard';
import { OpenAiTranscriptionForm, OpenAiTranslationForm } from '../pipeline/transcribe-form.dto';
import { parseOpenAiOptions, streamRequested } from '../pipeline/transcribe-options.parser';
import { AudioUploadInterceptor, type RequestWithUpload } from '../upload/audio-upload.interceptor';
import { UploadFor } from '../upload/upload-plan';
import { EngineAdmissionGuard } from './engine-admission.guard';
import { SyncTranscription } from './sync-transcription';

/** Wire-compatible with OpenAI's audio API so the official SDKs work with only a base URL change. */
@ApiTags('openai-compatible')
@RequireScope('transcribe')
@UseGuards(EngineAdmissionGuard, SyncRequestSlotGuard)
@Controller('v1/audio')
export class OpenAiAudioController {
  constructor(private readonly sync: SyncTranscription) {}

  @Post('transcriptions')
  @HttpCode(200)
  @UseInterceptors(AudioUploadInterceptor)
  @UploadFor('sync')
  @ApiOperation({ summary: 'OpenAI-compatible transcription (`client.audio.transcriptions.create`).' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: OpenAiTranscriptionForm })
  @ApiOpenAiAudioResponses()
  async transcriptions(@Req() request: RequestWithUpload, @Res() response: Response): Promise<void> {
    const fields = request.body as Record<string, unknown>;
    const options = parseOpenAiOptions(fields, 'transcribe');
    if (streamRequested(fields, options)) return this.sync.stream(request, response, options, 'openai');
    const answer = await this.sync.run(request, response, options, 'openai');
    response.status(200).set(answer.headers).type(answer.contentType).send(answer.body);
  }

  @Post('translations')
  @HttpCode(200)
  @UseInterceptors(AudioUploadInterceptor)
  @UploadFor('sync')
  @ApiOperation({ summary: 'OpenAI-compatible translation into English (`client.audio.translations.create`).' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: OpenAiTranslationForm })
  @ApiOpenAiAudioResponses()
  async translations(@Req() request: RequestWithUpload, @Res() response: Response): Promise<void> {
    const fields = request.body as Record<string, unknown>;
    const options = parseOpenAiOptions(fields, 'translate');
    streamRequested(fields, options);
    const answer = await this.sync.run(request, response, options, 'openai');
    response.status(200).set(answer.headers).type(answer.contentType).send(answer.body);
  }
}
