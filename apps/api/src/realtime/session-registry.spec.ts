import { SessionRegistry } from './session-registry';

describe('SessionRegistry', () => {
  it('bounds sessions per owner and per process; a release frees exactly one place', () => {
    const registry = new SessionRegistry(3, 2);
    const a1 = registry.take('a');
    registry.take('a');
    expect(() => registry.take('a')).toThrow(expect.objectContaining({ code: 'TOO_MANY_STREAMS', details: expect.objectContaining({ limit_scope: 'key' }) }));
    registry.take('b');
    expect(() => registry.take('c')).toThrow(expect.objectContaining({ code: 'TOO_MANY_STREAMS', details: expect.objectContaining({ limit_scope: 'server' }) }));
    a1();
    a1();
    expect(registry.open).toBe(2);
    expect(() => registry.take('c')).not.toThrow();
  });
});
