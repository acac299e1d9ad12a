import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { ANONYMOUS_OWNER } from '../auth/principal';
import { isDomainError } from '../common/domain-error';
import { loadConfig } from '../config/app-config';
import { SyncRequestSlots } from './sync-request-slots';

/** Only what the slots use of a request and a response: identity, and the response's 'close'. */
const exchange = () => ({ request: {} as Request, response: new EventEmitter() as unknown as Response });

describe('SyncRequestSlots', () => {
  it('lets SYNC_MAX_CONCURRENT_PER_KEY requests of one key in, refuses the next with 429, and frees a slot on close', () => {
    const slots = new SyncRequestSlots(loadConfig({ SYNC_MAX_CONCURRENT_PER_KEY: '2' }));
    const first = exchange();
    const second = exchange();
    slots.take(first.request, first.response, 'key_a');
    slots.take(second.request, second.response, 'key_a');
    const third = exchange();
    const refused = (() => {
      try {
        slots.take(third.request, third.response, 'key_a');
        return null;
      } catch (error) {
        return isDomainError(error) ? error : null;
      }
    })();
    expect(refused?.code).toBe('TOO_MANY_CONCURRENT_REQUESTS');
    expect(refused?.status).toBe(429);
    expect(refused?.retryAfterSeconds).toBe(1);
    // Another key is not affected.
    const other = exchange();
    expect(() => slots.take(other.request, other.response, 'key_b')).not.toThrow();
    (first.response as unknown as EventEmitter).emit('close');
    expect(slots.count('key_a')).toBe(1);
    expect(() => slots.take(third.request, third.response, 'key_a')).not.toThrow();
  });

  it('takes one slot per request however often it is asked (guard, then responder)', () => {
    const slots = new SyncRequestSlots(loadConfig({ SYNC_MAX_CONCURRENT_PER_KEY: '1' }));
    const one = exchange();
    slots.take(one.request, one.response, 'key_a');
    expect(() => slots.take(one.request, one.response, 'key_a')).not.toThrow();
    expect(slots.count('key_a')).toBe(1);
    (one.response as unknown as EventEmitter).emit('close');
    expect(slots.count('key_a')).toBe(0);
  });

  it('does not cap callers without a key (keys optional)', () => {
    const slots = new SyncRequestSlots(loadConfig({ SYNC_MAX_CONCURRENT_PER_KEY: '1' }));
    for (let i = 0; i < 3; i += 1) {
      const { request, response } = exchange();
      slots.take(request, response, ANONYMOUS_OWNER);
    }
    expect(slots.count(ANONYMOUS_OWNER)).toBe(0);
  });

  it('counts nothing when the cap is 0', () => {
    const slots = new SyncRequestSlots(loadConfig({ SYNC_MAX_CONCURRENT_PER_KEY: '0' }));
    for (let i = 0; i < 10; i += 1) {
      const { request, response } = exchange();
      slots.take(request, response, 'key_a');
    }
    expect(slots.count('key_a')).toBe(0);
  });
});
