import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiKeyAuth } from '../api-access';
import { ANY_ROUTE, ApiProblems, KEYED_ROUTE, SERVED_ROUTE } from '../api-errors';
import { HealthCheckResultSchema, HealthDetailSchema, LivenessSchema, ReadinessSchema, ServiceStatusSchema } from '../schemas/service.schemas';

/**
 * Answers of `/status` and `/health/*`. The health probes skip the Host allow-list and the general rate limit but have
 * their own per-address limit (all but /health/live); /health/live answers even while draining.
 */
const PROBE: Parameters<typeof ApiProblems> = [...ANY_ROUTE, 'RATE_LIMITED', 'SHUTTING_DOWN'];

export const ApiStatusResponses = (): MethodDecorator =>
  applyDecorators(ApiKeyAuth(), ApiOkResponse({ type: ServiceStatusSchema }), ApiProblems(...SERVED_ROUTE, 'UNAUTHORIZED'));

/** Public: no security requirement. */
export const ApiReadinessResponses = (): MethodDecorator =>
  applyDecorators(ApiOkResponse({ type: ReadinessSchema }), ApiProblems(...PROBE, 'NOT_READY'));

/** Public, never rate-limited, 200 while draining. */
export const ApiLivenessResponses = (): MethodDecorator => applyDecorators(ApiOkResponse({ type: LivenessSchema }), ApiProblems(...ANY_ROUTE));

/** Open while keys are optional; with API_KEYS_REQUIRED=true an admin key. 503 NOT_READY carries `checks`. */
export const ApiHealthDetailResponses = (): MethodDecorator =>
  applyDecorators(ApiKeyAuth('admin when keys are required'), ApiOkResponse({ type: HealthDetailSchema }), ApiProblems(...PROBE, ...KEYED_ROUTE, 'NOT_READY'));

/** `/health/storage` and `/health/engine`: one adapter, checked now. */
export const ApiHealthCheckResponses = (): MethodDecorator =>
  applyDecorators(ApiKeyAuth('admin when keys are required'), ApiOkResponse({ type: HealthCheckResultSchema }), ApiProblems(...PROBE, ...KEYED_ROUTE, 'NOT_READY'));
