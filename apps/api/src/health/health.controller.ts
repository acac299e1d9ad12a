import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
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
  @ApiOperation({ summary: 'Readiness: engine (model loaded or loadable), ffmpeg and temp space. 503 when any is down.' })
  check() {
    return this.health.check([
      () => this.readiness.engineReady(),
      () => this.readiness.ffmpegPresent(),
      () => this.readiness.tempSpace(),
    ]);
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers.' })
  live() {
    return { status: 'ok' };
  }

  @Get('engine')
  @HealthCheck()
  @ApiOperation({ summary: "The engine adapter's own health." })
  engine() {
    return this.health.check([() => this.readiness.engineReady()]);
  }
}
