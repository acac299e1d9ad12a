import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/route-access';
import { DomainError } from '../common/domain-error';
import { ShutdownState, shuttingDown } from '../lifecycle/shutdown-state';
import { ReadinessIndicators } from './readiness.indicators';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: engine (model loaded or loadable), ffmpeg, temp space and job/blob storage. 503 when any is down.' })
  check() {
    // The drain gate answers first on a real server; this keeps the answer the same wherever /health is asked.
    if (this.shutdown.draining) throw shuttingDown('Draining: this instance is shutting down and takes no new work.');
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
  // 200 while draining too: a liveness probe must not kill a process that is finishing its work.
  live() {
    return { status: 'ok', draining: this.shutdown.draining };
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
