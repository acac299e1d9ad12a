import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../common/domain-error';
import type { Principal } from './principal';
import { visibleOwner } from './route-access';

/** The request's principal, as the AuthGuard resolved it; a route the guard did not cover fails closed. */
export function principalOf(request: Request): Principal {
  if (!request.principal) throw new DomainError('INTERNAL_ERROR', 'The request reached a handler without an identified caller.');
  return request.principal;
}

/** `@Caller() caller: Principal`. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) => principalOf(context.switchToHttp().getRequest<Request>()));

/**
 * `@VisibleOwner() owner: string | undefined`: whose jobs the caller may see — its own owner id, or undefined
 * (every owner) for an admin key.
 */
export const VisibleOwner = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  visibleOwner(principalOf(context.switchToHttp().getRequest<Request>())),
);
