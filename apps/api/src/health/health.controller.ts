import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { DomainError } from '../common/domain-error';
import { ReadinessIndicators } from './readiness.indicators';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: engine (model loaded or loadable), ffmpeg, temp space and job/blob storage. 503 when any is down.' })
  check() {
    return notReadyAsDomainError(
      this.health.check([
        () => this.readiness.engineReady(),
        () => this.readiness.ffmpegPresent(),
        () => this.readiness.tempSpace(),
        () => this.readiness.storageReady(),
      ]),
    );
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers.' })
  live() {
    return { status: 'ok' };
  }

  @Get('storage')
  @HealthCheck()
  @ApiOperation({ summary: 'The job store and blob store adapters (sqlite/dynamodb, local/s3).' })
  storage() {
    return notReadyAsDomainError(this.health.check([() => this.readiness.storageReady()]));
  }

  @Get('engine')
  @HealthCheck()
  @ApiOperation({ summary: "The engine adapter's own health." })
  engine() {
    return notReadyAsDomainError(this.health.check([() => this.readiness.engineReady()]));
  }
}

/** A failed check answers 503 in the one error model, with every check's detail for the operator. */
async function notReadyAsDomainError(check: Promise<HealthCheckResult>): Promise<HealthCheckResult> {
  try {
    return await check;
  } catch (error) {
    if (!(error instanceof ServiceUnavailableException)) throw error;
    const result = error.getResponse() as HealthCheckResult;
    const down = Object.keys(result.error ?? {});
    throw new DomainError('NOT_READY', `Not ready: ${down.join(', ') || 'a check'} down.`, { checks: result.details });
  }
}
