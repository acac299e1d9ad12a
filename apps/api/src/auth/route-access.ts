import { SetMetadata } from '@nestjs/common';
import type { ApiKeyScope } from '@speech/contracts';
import { ANONYMOUS_OWNER, type Principal } from './principal';

/**
 * What a route asks of its caller, declared with `@Public()` or `@RequireScope(...)` on the handler or controller.
 * A route with neither is deny-by-default: any valid key when keys are required (anonymous only when optional).
 */
export type RouteAccess =
  | { readonly kind: 'public' }
  | { readonly kind: 'scope'; readonly scope: ApiKeyScope; readonly openWhenKeysOptional: boolean };

export const ROUTE_ACCESS = 'speech:route-access';

/** Anyone, key or not (health checks: load balancers send no key). */
export const Public = () => SetMetadata(ROUTE_ACCESS, { kind: 'public' } satisfies RouteAccess);

/**
 * A key with `scope` (or `admin`). `openWhenKeysOptional`: without API_KEYS_REQUIRED the route is open to everyone,
 * e.g. /metrics, which a local Prometheus scrapes without a key.
 */
export const RequireScope = (scope: ApiKeyScope, options: { openWhenKeysOptional?: boolean } = {}) =>
  SetMetadata(ROUTE_ACCESS, { kind: 'scope', scope, openWhenKeysOptional: options.openWhenKeysOptional ?? false } satisfies RouteAccess);

/** Scopes of a request without a key when keys are optional: it may transcribe and read its own (anonymous) jobs. */
export const ANONYMOUS_SCOPES: readonly ApiKeyScope[] = ['transcribe', 'jobs:read'];

export function anonymousPrincipal(): Principal {
  return { keyId: null, ownerId: ANONYMOUS_OWNER, scopes: new Set(ANONYMOUS_SCOPES) };
}

/** `admin` implies every scope. */
export function hasScope(principal: Principal, scope: ApiKeyScope): boolean {
  return principal.scopes.has('admin') || principal.scopes.has(scope);
}

/** The owner whose jobs a caller may see: its own, or undefined (every owner) for an admin key. */
export function visibleOwner(principal: Principal): string | undefined {
  return principal.scopes.has('admin') ? undefined : principal.ownerId;
}
