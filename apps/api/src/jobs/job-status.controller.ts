import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Job } from '@speech/contracts';
import { VisibleOwner } from '../auth/caller.decorator';
import { RequireScope } from '../auth/route-access';
import { ApiGetJobResponses } from '../openapi/routes/jobs.docs';
import { toJob } from './job-view';
import { JobsService } from './jobs.service';

/** The polling path for async requests (the original API's); `GET /status` (no id) stays the service status. */
@ApiTags('jobs')
@Controller('status')
export class JobStatusController {
  constructor(private readonly jobs: JobsService) {}

  @Get(':id')
  @RequireScope('jobs:read')
  @ApiOperation({ summary: 'A job created with POST /transcribe async=true (same body as GET /api/v1/jobs/{id}).' })
  @ApiGetJobResponses()
  async get(@Param('id') id: string, @VisibleOwner() owner: string | undefined): Promise<Job> {
    return toJob(await this.jobs.get(id, owner));
  }
}
