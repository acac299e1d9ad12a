import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { API_KEY_PREFIX } from './api-key';
import { ApiKeyVerifier } from './api-key-verifier';
import type { Principal } from './principal';
import { anonymousPrincipal, hasScope, ROUTE_ACCESS, type RouteAccess } from './route-access';

export const FIRST_KEY_COMMAND = 'npm run apikey -- create --name <name> --scope transcribe --scope jobs:read';

/**
 * The first global guard: who is calling (an API key, or anonymous when keys are optional), and may it use this
 * route. Guards run before interceptors, so a refused upload is never read, let alone written to disk. Refusals
 * are DomainErrors, so the one error filter answers problem+json, or OpenAI's shape under /v1.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: ApiKeyVerifier,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [context.getHandler(), context.getClass()]);
    const required = this.config.auth.keysRequired;
    if (access?.kind === 'public' || (access?.kind === 'scope' && access.openWhenKeysOptional && !required)) return true;
    try {
      const principal = await this.identify(request, required);
      if (access?.kind === 'scope' && !hasScope(principal, access.scope)) throw missingScope(principal, access.scope);
      request.principal = principal;
      return true;
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN')) {
        // Do not keep the connection to drain a body we refused (possibly a large upload still arriving).
        if (hasBody(request)) response.setHeader('Connection', 'close');
        if (error.code === 'UNAUTHORIZED') response.setHeader('WWW-Authenticate', 'Bearer realm="speech-platform"');
      }
      throw error;
    }
  }

  private async identify(request: Request, required: boolean): Promise<Principal> {
    const presented = presentedKey(request);
    // OpenAI SDKs always send some key; while keys are optional, one that is not ours in shape is ignored. A key of
    // ours that fails is refused in every mode: silently running as anonymous would hide its jobs from its owner.
    if (presented !== null && (required || presented.startsWith(API_KEY_PREFIX))) return this.verifier.verify(presented);
    if (!required) return anonymousPrincipal();
    const hint = (await this.verifier.anyActiveKey())
      ? ''
      : ` No API key exists yet: an operator creates one with \`${FIRST_KEY_COMMAND}\`.`;
    throw new DomainError('UNAUTHORIZED', `This API requires an API key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>".${hint}`);
  }
}

/** `Authorization: Bearer <key>` (what OpenAI SDKs send) or `x-api-key: <key>`; null when neither is present. */
export function presentedKey(request: Request): string | null {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    // Another scheme (Basic, …) is a credential we cannot accept: refuse rather than treat the caller as keyless.
    return match ? (match[1] as string) : authorization;
  }
  const header = request.headers['x-api-key'];
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined ? null : value.trim();
}

function missingScope(principal: Principal, scope: string): DomainError {
  if (principal.keyId === null) {
    return new DomainError('UNAUTHORIZED', `This route needs an API key with the scope "${scope}".`, { scope });
  }
  return new DomainError('FORBIDDEN', `This API key lacks the scope "${scope}" that this request needs.`, { scope });
}

function hasBody(request: Request): boolean {
  return Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
}
