import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public, RequireScope } from '../auth/route-access';
import { DomainError } from '../common/domain-error';
import { ShutdownState, shuttingDown } from '../lifecycle/shutdown-state';
import {
  ApiHealthCheckResponses,
  ApiHealthDetailResponses,
  ApiLivenessResponses,
  ApiReadinessResponses,
} from '../openapi/routes/service.docs';
import type { LivenessSchema } from '../openapi/schemas/service.schemas';
import { ReadinessCache } from './readiness-cache';
import { ReadinessIndicators } from './readiness.indicators';

/** Admin detail: when keys are optional (local use) it is open, like /metrics; with keys it needs `admin`. */
const AdminDetail = () => RequireScope('admin', { openWhenKeysOptional: true });

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
    private readonly cache: ReadinessCache,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Readiness, public and terse: 200 {"status":"ok"}, or 503 NOT_READY / SHUTTING_DOWN. Cached (at most one check per 2 s, shared by concurrent callers) and rate-limited per address. Which check is down: /health/detail.',
  })
  @ApiReadinessResponses()
  async check(): Promise<{ status: 'ok' }> {
    // The drain gate answers first on a real server; this keeps the answer the same wherever /health is asked.
    if (this.shutdown.draining) throw shuttingDown('Draining: this instance is shutting down and takes no new work.');
    const readiness = await this.cache.current();
    if (!readiness.ready) throw new DomainError('NOT_READY', 'Not ready: a readiness check is down (an admin key sees which at /health/detail).');
    return { status: 'ok' };
  }

  @Get('detail')
  @AdminDetail()
  @ApiOperation({
    summary: 'Readiness with every check: engine (model), ffmpeg, temp space, job/blob storage. Needs an admin key when keys are required. Same cached verdict as /health.',
  })
  @ApiHealthDetailResponses()
  async detail(): Promise<HealthCheckResult & { checked_at: string }> {
    const readiness = await this.cache.current();
    const checkedAt = new Date(readiness.checkedAt).toISOString();
    if (!readiness.ready) throw notReady(readiness.result, checkedAt);
    return { ...readiness.result, checked_at: checkedAt };
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers. Never rate-limited; the ALB and ECS probe it.' })
  @ApiLivenessResponses()
  // 200 while draining too: a liveness probe must not kill a process that is finishing its work.
  live(): LivenessSchema {
    return { status: 'ok', draining: this.shutdown.draining };
  }

  @Get('storage')
  @AdminDetail()
  @ApiHealthCheckResponses()
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'The job store and blob store adapters (sqlite/dynamodb, local/s3), checked now. Needs an admin key when keys are required.' })
  storage() {
    return notReadyAsDomainError(this.health.check([() => this.readiness.storageReady()]));
  }

  @Get('engine')
  @AdminDetail()
  @ApiHealthCheckResponses()
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: "The engine adapter's own health, checked now. Needs an admin key when keys are required." })
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
    throw notReady(error.getResponse() as HealthCheckResult);
  }
}

function notReady(result: HealthCheckResult, checkedAt?: string): DomainError {
  const down = Object.keys(result.error ?? {});
  return new DomainError('NOT_READY', `Not ready: ${down.join(', ') || 'a check'} down.`, {
    checks: result.details,
    ...(checkedAt ? { checked_at: checkedAt } : {}),
  });
}
