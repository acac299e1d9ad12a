import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Job, type JobList, RESPONSE_FORMATS, type ResponseFormat, TRANSCRIPT_FILE_NAMES } from '@speech/contracts';
import type { Request, Response } from 'express';
import { VisibleOwner } from '../auth/caller.decorator';
import { RequireScope } from '../auth/route-access';
import { DomainError } from '../common/domain-error';
import {
  ApiCancelJobResponses,
  ApiCreateJobResponses,
  ApiGetJobResponses,
  ApiJobEventsResponses,
  ApiJobEventStreamResponses,
  ApiJobTranscriptFileResponses,
  ApiJobTranscriptResponses,
  ApiListJobsResponses,
  ApiRetryJobResponses,
} from '../openapi/routes/jobs.docs';
import { JobForm } from '../pipeline/transcribe-form.dto';
import { AudioUploadInterceptor, type RequestWithUpload } from '../upload/audio-upload.interceptor';
import { JobEventStreams } from './job-event-streams';
import { parseListQuery } from './job-list-query';
import { acceptedJob, jobCallOf } from './job-submission';
import { JOBS_BASE_PATH, toJob } from './job-view';
import { JobsService } from './jobs.service';

const FORMAT_BY_FILE = new Map(Object.entries(TRANSCRIPT_FILE_NAMES).map(([format, file]) => [file, format as ResponseFormat]));

@ApiTags('jobs')
@Controller('api/v1/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly streams: JobEventStreams,
  ) {}

  @Post()
  @HttpCode(202)
  @RequireScope('transcribe')
  @UseInterceptors(AudioUploadInterceptor)
  @ApiOperation({ summary: 'Create a transcription job (async); answers 202 with the job and its status URL.' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: JobForm })
  @ApiCreateJobResponses()
  async create(@Req() request: RequestWithUpload, @Res() response: Response): Promise<void> {
    const { record, replayed } = await this.jobs.create(jobCallOf(request));
    const body = acceptedJob(record, `${JOBS_BASE_PATH}/${record.id}`);
    response.status(202).location(body.status_url).setHeader('Idempotent-Replayed', String(replayed)).json(body);
  }

  @Get()
  @RequireScope('jobs:read')
  @ApiOperation({ summary: 'Jobs, newest first, filterable by status; follow next_cursor for more.' })
  @ApiListJobsResponses()
  async list(@Query() query: Record<string, unknown>, @VisibleOwner() owner: string | undefined): Promise<JobList> {
    const { statuses, limit, cursor } = parseListQuery(query);
    const page = await this.jobs.list(owner, statuses, limit, cursor);
    return { data: page.records.map(toJob), next_cursor: page.nextCursor };
  }

  @Get('events')
  @RequireScope('jobs:read')
  @ApiOperation({ summary: 'Server-sent events (JobEvent) for every job, from now on.' })
  @ApiJobEventsResponses()
  async allEvents(@VisibleOwner() owner: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.streams.streamAll(owner, request, response);
  }

  @Get(':id')
  @RequireScope('jobs:read')
  @ApiOperation({ summary: 'One job: status, progress, ETA, attempts, error, webhook deliveries.' })
  @ApiGetJobResponses()
  async get(@Param('id') id: string, @VisibleOwner() owner: string | undefined): Promise<Job> {
    return toJob(await this.jobs.get(id, owner));
  }

  @Delete(':id')
  @RequireScope('transcribe')
  @ApiOperation({ summary: 'Cancel a queued or running job; running engine work stops within about a second.' })
  @ApiCancelJobResponses()
  async cancel(@Param('id') id: string, @VisibleOwner() owner: string | undefined): Promise<Job> {
    return toJob(await this.jobs.cancel(id, owner));
  }

  @Post(':id/retry')
  @HttpCode(202)
  @RequireScope('transcribe')
  @ApiOperation({ summary: 'Queue a failed or cancelled job again; windows already done are reused.' })
  @ApiRetryJobResponses()
  async retry(@Param('id') id: string, @VisibleOwner() owner: string | undefined): Promise<Job> {
    return toJob(await this.jobs.retry(id, owner));
  }

  @Get(':id/events')
  @RequireScope('jobs:read')
  @ApiOperation({ summary: 'Server-sent events (JobEvent) for one job: its current state, then every change.' })
  @ApiJobEventStreamResponses()
  async events(@Param('id') id: string, @VisibleOwner() owner: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.streams.streamJob(id, owner, request, response);
  }

  @Get(':id/transcript')
  @RequireScope('jobs:read')
  @ApiOperation({ summary: "The transcript in the job's response_format." })
  @ApiJobTranscriptResponses()
  async transcript(@Param('id') id: string, @VisibleOwner() owner: string | undefined, @Res() response: Response): Promise<void> {
    const job = await this.jobs.get(id, owner);
    await this.sendTranscript(id, owner, job.options.response_format, response);
  }

  @Get(':id/:file')
  @RequireScope('jobs:read')
  @ApiOperation({ summary: `The transcript as ${Object.values(TRANSCRIPT_FILE_NAMES).join(', ')}.` })
  @ApiJobTranscriptFileResponses()
  async transcriptFile(
    @Param('id') id: string,
    @Param('file') file: string,
    @VisibleOwner() owner: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const format = FORMAT_BY_FILE.get(file);
    if (!format || !RESPONSE_FORMATS.includes(format)) {
      throw new DomainError('NOT_FOUND', `No such file; a job offers ${Object.values(TRANSCRIPT_FILE_NAMES).join(', ')}.`);
    }
    await this.sendTranscript(id, owner, format, response, file);
  }

  private async sendTranscript(id: string, owner: string | undefined, format: ResponseFormat, response: Response, download?: string): Promise<void> {
    const formatted = await this.jobs.transcript(id, owner, format);
    if (download) response.attachment(`${id}-${download}`);
    response.status(200).type(formatted.contentType).send(formatted.body);
  }
}
