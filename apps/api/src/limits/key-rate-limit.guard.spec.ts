import type { ExecutionContext } from '@nestjs/common';
import type { ApiKeyScope } from '@speech/contracts';
import type { Request, Response } from 'express';
import { type AppConfig, loadConfig } from '../config/app-config';
import type { Principal } from '../auth/principal';
import { KeyRateLimitGuard } from './key-rate-limit.guard';
import { RateLimits } from './rate-limits';

/** The guard as Nest calls it: an HTTP context over a request (with what AuthGuard left on it) and a response. */
function call(guard: KeyRateLimitGuard, principal: Principal | undefined) {
  const headers: Record<string, string> = {};
  const request = { principal, headers: {} } as unknown as Request;
  const response = {
    getHeader: (name: string) => headers[name],
    setHeader: (name: string, value: string) => void (headers[name] = value),
  } as unknown as Response;
  const context = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  try {
    return { allowed: guard.canActivate(context), headers, error: undefined };
  } catch (error) {
    return { allowed: false, headers, error: error as { code: string; retryAfterSeconds?: number; message: string } };
  }
}

const key = (keyId: string | null): Principal => ({ keyId, ownerId: keyId ?? 'anonymous', scopes: new Set<ApiKeyScope>(['transcribe']) });
const guardWith = (env: Record<string, string>) => new KeyRateLimitGuard(new RateLimits(loadConfig(env) as AppConfig));

describe('KeyRateLimitGuard', () => {
  it('gives each key its own bucket and refuses over the limit with RATE_LIMITED and a retry delay', () => {
    const guard = guardWith({ RATE_LIMIT_PER_KEY: '3' });
    const first = [1, 2, 3].map(() => call(guard, key('key-a')));
    expect(first.map((c) => c.allowed)).toEqual([true, true, true]);
    expect(first.map((c) => c.headers['RateLimit-Remaining'])).toEqual(['2', '1', '0']);
    expect(first[0]?.headers).toMatchObject({ 'RateLimit-Limit': '3', 'RateLimit-Policy': '3;w=60' });
    const refused = call(guard, key('key-a'));
    expect(refused.error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 20 });
    expect(refused.error?.message).toMatch(/this API key: the limit is 3 per minute/);
    expect(call(guard, key('key-b')).allowed).toBe(true);
  });

  it('leaves anonymous callers, requests without a principal, and a limit of 0 alone', () => {
    const guard = guardWith({ RATE_LIMIT_PER_KEY: '1' });
    for (let i = 0; i < 5; i += 1) {
      expect(call(guard, key(null))).toMatchObject({ allowed: true, headers: {} });
      expect(call(guard, undefined)).toMatchObject({ allowed: true, headers: {} });
    }
    const off = guardWith({ RATE_LIMIT_PER_KEY: '0' });
    for (let i = 0; i < 5; i += 1) expect(call(off, key('key-a'))).toMatchObject({ allowed: true, headers: {} });
  });
});
