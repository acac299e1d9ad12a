import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Job } from '@speech/contracts';
import { toJob } from './job-view';
import { JobsService } from './jobs.service';

/** The seed's polling path for async requests; `GET /status` (no id) stays the service status. */
@ApiTags('jobs')
@Controller('status')
export class JobStatusController {
  constructor(private readonly jobs: JobsService) {}

  @Get(':id')
  @ApiOperation({ summary: 'A job created with POST /transcribe async=true (same body as GET /api/v1/jobs/{id}).' })
  @ApiResponse({ status: 404, description: 'JOB_NOT_FOUND' })
  async get(@Param('id') id: string): Promise<Job> {
    return toJob(await this.jobs.get(id));
  }
}
