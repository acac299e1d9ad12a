import { evictionsFor, idleModels, type ResidentModel } from './model-residency';

const m = (id: string, over: Partial<ResidentModel> = {}): ResidentModel => ({ id, loaded: true, active: 0, lastUsedAt: 0, bytes: 100, ...over });

describe('idleModels', () => {
  it('picks loaded, unused models past the TTL, never the default or a busy one', () => {
    const models = [m('default', { lastUsedAt: 0 }), m('old', { lastUsedAt: 0 }), m('busy', { active: 1 }), m('recent', { lastUsedAt: 900 }), m('off', { loaded: false })];
    expect(idleModels(models, 1000, 500, 'default').map((x) => x.id)).toEqual(['old']);
  });

  it('never unloads with a TTL of 0', () => {
    expect(idleModels([m('old')], 1e9, 0, 'default')).toEqual([]);
  });
});

describe('evictionsFor', () => {
  it('unloads the least recently used idle models until the incoming one fits', () => {
    const models = [m('a', { lastUsedAt: 3 }), m('b', { lastUsedAt: 1 }), m('c', { lastUsedAt: 2 })];
    expect(evictionsFor(m('new', { loaded: false }), models, 250).map((x) => x.id)).toEqual(['b', 'c']);
    expect(evictionsFor(m('new', { loaded: false }), models, 400)).toEqual([]);
  });

  it('skips busy models and loads anyway when nothing more can go', () => {
    const models = [m('busy', { active: 2, lastUsedAt: 0 }), m('idle', { lastUsedAt: 5 })];
    expect(evictionsFor(m('new', { loaded: false }), models, 100).map((x) => x.id)).toEqual(['idle']);
  });

  it('never unloads the pinned default', () => {
    expect(evictionsFor(m('new', { loaded: false }), [m('default', { lastUsedAt: 0 }), m('a', { lastUsedAt: 9 })], 200, 'default').map((x) => x.id)).toEqual(['a']);
  });

  it('has no budget at 0', () => {
    expect(evictionsFor(m('new'), [m('a')], 0)).toEqual([]);
  });
});
