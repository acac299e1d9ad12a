import { Controller, HttpCode, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireScope } from '../auth/route-access';
import { ApiTranscribeResponses } from '../openapi/routes/transcription.docs';
import { AudioUploadInterceptor, type RequestWithUpload } from '../upload/audio-upload.interceptor';
import { AsyncJobSubmitter, wantsAsync } from './async-job-submitter';
import { TranscribeForm } from './transcribe-form.dto';
import { parseNativeRequest } from './transcription-request.parser';
import { TranscriptionResponder } from './transcription.responder';

@ApiTags('transcription')
@RequireScope('transcribe')
@Controller()
export class TranscriptionController {
  constructor(
    private readonly responder: TranscriptionResponder,
    private readonly jobs: AsyncJobSubmitter,
  ) {}

  @Post('transcribe')
  @HttpCode(200)
  @UseInterceptors(AudioUploadInterceptor)
  @ApiOperation({
    summary: 'Transcribe (or translate) an audio file synchronously; with async=true, create a job instead (202).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: TranscribeForm })
  @ApiTranscribeResponses()
  async transcribe(@Req() request: RequestWithUpload, @Res() response: Response): Promise<void> {
    const fields = request.body as Record<string, unknown>;
    if (wantsAsync(fields, request.query as Record<string, unknown>)) {
      await this.jobs.submit(request, response);
      return;
    }
    const parsed = parseNativeRequest(fields);
    await this.responder.respond(request, response, parsed, 'native');
  }
}
