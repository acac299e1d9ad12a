import { Controller, HttpCode, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireScope } from '../auth/route-access';
import { acceptedJob, jobCallOf } from '../jobs/job-submission';
import { JobsService } from '../jobs/jobs.service';
import { ApiTranscribeResponses } from '../openapi/routes/transcription.docs';
import { TranscribeForm } from '../pipeline/transcribe-form.dto';
import { parseNativeOptions, streamRequested } from '../pipeline/transcribe-options.parser';
import { AudioUploadInterceptor, type RequestWithUpload } from '../upload/audio-upload.interceptor';
import { UploadFor } from '../upload/upload-plan';
import { wantsAsync } from './async-flag';
import { SyncTranscription } from './sync-transcription';

@ApiTags('transcription')
@RequireScope('transcribe')
@Controller()
export class TranscriptionController {
  constructor(
    private readonly sync: SyncTranscription,
    private readonly jobs: JobsService,
  ) {}

  @Post('transcribe')
  @HttpCode(200)
  @UseInterceptors(AudioUploadInterceptor)
  // Sync unless async=true, which may come after the file: decoded while it arrives, and kept for a job.
  @UploadFor('sync-or-job')
  @ApiOperation({
    summary: 'Transcribe (or translate) an audio file synchronously; with async=true, create a job instead (202).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: TranscribeForm })
  @ApiTranscribeResponses()
  async transcribe(@Req() request: RequestWithUpload, @Res() response: Response): Promise<void> {
    const fields = request.body as Record<string, unknown>;
    if (wantsAsync(fields, request.query as Record<string, unknown>)) {
      const { record, replayed } = await this.jobs.create(jobCallOf(request));
      // The status URL of this route is `/status/{id}` (GET /status alone is the service status).
      const body = acceptedJob(record, `/status/${record.id}`);
      response.status(202).location(body.status_url).setHeader('Idempotent-Replayed', String(replayed)).json(body);
      return;
    }
    const options = parseNativeOptions(fields);
    if (streamRequested(fields, options)) return this.sync.stream(request, response, options, 'native');
    const answer = await this.sync.run(request, response, options, 'native');
    response.status(200).set(answer.headers).type(answer.contentType).send(answer.body);
  }
}
