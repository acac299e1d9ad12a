import { fairOwnerOrder, interleave, type OwnerQueueState, ownerStatesOf } from './fair-claim-order';

const state = (ownerId: string, overrides: Partial<OwnerQueueState> = {}): OwnerQueueState => ({
  ownerId,
  queued: 1,
  running: 0,
  lastClaimedAt: null,
  oldestQueuedAt: 1000,
  ...overrides,
});

describe('fairOwnerOrder', () => {
  it('puts the owner with fewer running jobs first, however old the other owner’s queue is', () => {
    const order = fairOwnerOrder([state('a', { running: 1, oldestQueuedAt: 1 }), state('b', { running: 0, oldestQueuedAt: 9_999 })]);
    expect(order.map((owner) => owner.ownerId)).toEqual(['b', 'a']);
  });

  it('among equal shares, serves the owner claimed longest ago (never claimed first): round-robin', () => {
    const order = fairOwnerOrder([
      state('a', { lastClaimedAt: 5000, oldestQueuedAt: 1 }),
      state('b', { lastClaimedAt: 3000, oldestQueuedAt: 2 }),
      state('c', { lastClaimedAt: null, oldestQueuedAt: 3 }),
    ]);
    expect(order.map((owner) => owner.ownerId)).toEqual(['c', 'b', 'a']);
  });

  it('then the oldest waiting job, then the owner id (a total order, the same in every store)', () => {
    expect(fairOwnerOrder([state('b', { oldestQueuedAt: 2 }), state('a', { oldestQueuedAt: 2 }), state('c', { oldestQueuedAt: 1 })]).map((o) => o.ownerId)).toEqual(['c', 'a', 'b']);
  });

  it('leaves out owners with nothing queued', () => {
    expect(fairOwnerOrder([state('a', { queued: 0, running: 3 }), state('b')]).map((o) => o.ownerId)).toEqual(['b']);
  });
});

describe('interleave', () => {
  it('takes one from each list in turn, up to the limit', () => {
    expect(interleave([['a1', 'a2', 'a3'], ['b1'], ['c1', 'c2']], 10)).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
    expect(interleave([['a1', 'a2'], ['b1', 'b2']], 3)).toEqual(['a1', 'b1', 'a2']);
    expect(interleave([], 3)).toEqual([]);
  });
});

describe('ownerStatesOf', () => {
  it('counts queued and running jobs per owner, with the latest claim and the oldest queued job', () => {
    const states = ownerStatesOf([
      { ownerId: 'a', status: 'queued', createdAt: 30, claimedAt: null },
      { ownerId: 'a', status: 'queued', createdAt: 10, claimedAt: 400 },
      { ownerId: 'a', status: 'running', createdAt: 5, claimedAt: 500 },
      { ownerId: 'b', status: 'running', createdAt: 7, claimedAt: 100 },
    ]);
    expect(states).toEqual([
      { ownerId: 'a', queued: 2, running: 1, lastClaimedAt: 500, oldestQueuedAt: 10 },
      { ownerId: 'b', queued: 0, running: 1, lastClaimedAt: 100, oldestQueuedAt: null },
    ]);
  });

  it('takes the remembered last claim of an owner whose jobs have ended since', () => {
    const states = ownerStatesOf([{ ownerId: 'a', status: 'queued', createdAt: 10, claimedAt: null }], new Map([['a', 900], ['z', 5]]));
    expect(states).toEqual([{ ownerId: 'a', queued: 1, running: 0, lastClaimedAt: 900, oldestQueuedAt: 10 }]);
  });
});
