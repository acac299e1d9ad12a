import { ServiceUnavailableException } from '@nestjs/common';
import type { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { NOT_READY_TTL_MS, READY_TTL_MS, ReadinessCache } from './readiness-cache';
import type { ReadinessIndicators } from './readiness.indicators';

const OK: HealthCheckResult = { status: 'ok', info: {}, error: {}, details: {} };
const DOWN: HealthCheckResult = { status: 'error', info: {}, error: { storage: { status: 'down' } }, details: { storage: { status: 'down' } } };

/** A terminus stand-in that counts checks and lets the test decide when each one ends and how. */
function rig() {
  const pending: Array<{ resolve: (result: HealthCheckResult) => void; reject: (error: unknown) => void }> = [];
  const health = {
    check: () => new Promise<HealthCheckResult>((resolve, reject) => pending.push({ resolve, reject })),
  } as unknown as HealthCheckService;
  const cache = new ReadinessCache(health, {} as ReadinessIndicators);
  let now = 1_000_000;
  cache.now = () => now;
  return {
    cache,
    pending,
    advance: (ms: number) => (now += ms),
    settle: async (ready: boolean) => {
      for (const check of pending.splice(0)) {
        if (ready) check.resolve(OK);
        else check.reject(new ServiceUnavailableException(DOWN));
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('ReadinessCache', () => {
  it('runs one check for any number of concurrent callers (single-flight)', async () => {
    const { cache, pending, settle } = rig();
    const answers = Promise.all(Array.from({ length: 100 }, () => cache.current()));
    expect(pending).toHaveLength(1);
    await settle(true);
    expect((await answers).every((answer) => answer.ready)).toBe(true);
  });

  it(`reuses a ready verdict for ${READY_TTL_MS} ms, then checks again`, async () => {
    const { cache, pending, settle, advance } = rig();
    void cache.current();
    await settle(true);
    advance(READY_TTL_MS - 1);
    await cache.current();
    expect(pending).toHaveLength(0);
    advance(1);
    void cache.current();
    expect(pending).toHaveLength(1);
  });

  it(`rechecks a not-ready verdict after ${NOT_READY_TTL_MS} ms, keeping the detail for admins`, async () => {
    const { cache, pending, settle, advance } = rig();
    const first = cache.current();
    await settle(false);
    expect(await first).toMatchObject({ ready: false, result: { error: { storage: { status: 'down' } } } });
    advance(NOT_READY_TTL_MS - 1);
    expect((await cache.current()).ready).toBe(false);
    expect(pending).toHaveLength(0);
    advance(1);
    const second = cache.current();
    expect(pending).toHaveLength(1);
    await settle(true);
    expect((await second).ready).toBe(true);
  });
});
