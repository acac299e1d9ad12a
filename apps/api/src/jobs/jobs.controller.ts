import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Job, type JobList, RESPONSE_FORMATS, type ResponseFormat, TRANSCRIPT_FILE_NAMES } from '@speech/contracts';
import type { Request, Response } from 'express';
import { VisibleOwner } from '../auth/caller.decorator';
import { RequireScope } from '../auth/route-access';
import { DomainError } from '../common/domain-error';
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
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replaying the same request with the same key answers the same job.' })
  @ApiResponse({ status: 202, description: 'JobAccepted; Location names the job.' })
  @ApiResponse({ status: 409, description: 'IDEMPOTENCY_CONFLICT: the key was used with a different request.' })
  @ApiResponse({ status: 400, description: 'INVALID_OPTION, CALLBACK_URL_REJECTED, EMPTY_FILE, MISSING_FILE' })
  async create(@Req() request: RequestWithUpload, @Res() response: Response): Promise<void> {
    const { record, replayed } = await this.jobs.create(jobCallOf(request));
    const body = acceptedJob(record, `${JOBS_BASE_PATH}/${record.id}`);
    response.status(202).location(body.status_url).setHeader('Idempotent-Replayed', String(replayed)).json(body);
  }

  @Get()
  @RequireScope('jobs:read')
  @ApiOperation({ summary: 'Jobs, newest first, filterable by status; follow next_cursor for more.' })
  @ApiQuery({ name: 'status', required: false, description: 'One status or a comma-separated list.' })
  @ApiQuery({ name: 'limit', required: false, description: '1–100, default 20.' })
  @ApiQuery({ name: 'cursor', required: false })
  async list(@Query() query: Record<string, unknown>, @VisibleOwner() owner: string | undefined): Promise<JobList> {
    const { statuses, limit, cursor } = parseListQuery(query);
    const page = await this.jobs.list(owner, statuses, limit, cursor);
    return { data: page.records.map(toJob), next_cursor: page.nextCursor };
  }

  @Get('events')
  @RequireScope('jobs:read')
  @ApiOperation({ summary: 'Server-sent events (JobEvent) for every job, from now on.' })
  @ApiProduces('text/event-stream')
  async allEvents(@VisibleOwner() owner: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.streams.streamAll(owner, request, response);
  }

  @Get(':id')
  @RequireScope('jobs:read')
  @ApiOperation({ summary: 'One job: status, progress, ETA, attempts, error, webhook deliveries.' })
  @ApiResponse({ status: 404, description: 'JOB_NOT_FOUND' })
  async get(@Param('id') id: string, @VisibleOwner() owner: string | undefined): Promise<Job> {
    return toJob(await this.jobs.get(id, owner));
  }

  @Delete(':id')
  @RequireScope('transcribe')
  @ApiOperation({ summary: 'Cancel a queued or running job; running engine work stops within about a second.' })
  @ApiResponse({ status: 409, description: 'JOB_NOT_CANCELLABLE: it has already ended.' })
  async cancel(@Param('id') id: string, @VisibleOwner() owner: string | undefined): Promise<Job> {
    return toJob(await this.jobs.cancel(id, owner));
  }

  @Post(':id/retry')
  @HttpCode(202)
  @RequireScope('transcribe')
  @ApiOperation({ summary: 'Queue a failed or cancelled job again; windows already done are reused.' })
  @ApiResponse({ status: 409, description: 'JOB_NOT_RETRYABLE' })
  async retry(@Param('id') id: string, @VisibleOwner() owner: string | undefined): Promise<Job> {
    return toJob(await this.jobs.retry(id, owner));
  }

  @Get(':id/events')
  @RequireScope('jobs:read')
  @ApiOperation({ summary: 'Server-sent events (JobEvent) for one job: its current state, then every change.' })
  @ApiProduces('text/event-stream')
  async events(@Param('id') id: string, @VisibleOwner() owner: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.streams.streamJob(id, owner, request, response);
  }

  @Get(':id/transcript')
  @RequireScope('jobs:read')
  @ApiOperation({ summary: "The transcript in the job's response_format." })
  @ApiResponse({ status: 409, description: 'JOB_NOT_FINISHED' })
  async transcript(@Param('id') id: string, @VisibleOwner() owner: string | undefined, @Res() response: Response): Promise<void> {
    const job = await this.jobs.get(id, owner);
    await this.sendTranscript(id, owner, job.options.response_format, response);
  }

  @Get(':id/:file')
  @RequireScope('jobs:read')
  @ApiOperation({ summary: `The transcript as ${Object.values(TRANSCRIPT_FILE_NAMES).join(', ')}.` })
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
