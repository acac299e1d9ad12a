import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import type { ApiKeyScope } from '@speech/contracts';

/** Security scheme names in the document (create-app registers them). */
export const BEARER_SCHEME = 'bearer';
export const API_KEY_HEADER_SCHEME = 'x-api-key';

/**
 * An API key: `Authorization: Bearer <key>` or `x-api-key: <key>` (either). It is required when API_KEYS_REQUIRED=true;
 * while keys are optional a call without one runs as the anonymous owner. `scope` is what the key must hold
 * (`admin` holds every scope); none: any valid key. The route's `@RequireScope`/`@Public` decide; the OpenAPI
 * e2e test calls every operation without a key and fails when this disagrees with them.
 */
export function ApiKeyAuth(scope?: ApiKeyScope | 'admin when keys are required'): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(BEARER_SCHEME),
    ApiSecurity(API_KEY_HEADER_SCHEME),
    ApiExtension('x-required-scope', scope ?? 'any valid key'),
  );
}
