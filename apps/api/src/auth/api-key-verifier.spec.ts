import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import type { ApiKeyStore } from '../storage/api-key-store.port';
import { SqliteApiKeyStore } from '../storage/sqlite/sqlite-api-key-store';
import { generateApiKey } from './api-key';
import { ApiKeyVerifier } from './api-key-verifier';

beforeAll(() => Logger.overrideLogger(false));

describe('ApiKeyVerifier', () => {
  let store: SqliteApiKeyStore;
  let now: number;

  beforeEach(async () => {
    store = new SqliteApiKeyStore(':memory:');
    await store.init();
    now = Date.UTC(2026, 0, 1);
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await store.close();
  });

  const addKey = async () => {
    const { key, keyId, hash } = generateApiKey();
    await store.insert({ keyId, name: 'test', scopes: ['transcribe'], hash, createdAt: now, revokedAt: null, lastUsedAt: null });
    return { key, keyId };
  };
  const outcome = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: { code?: string }) => error.code);

  it('keeps accepting a revoked key only until its cached lookup expires (API_KEY_CACHE_SECONDS)', async () => {
    const verifier = new ApiKeyVerifier(store, loadConfig({ API_KEY_CACHE_SECONDS: '30' }));
    const { key, keyId } = await addKey();
    expect(await verifier.verify(key)).toEqual({ keyId, ownerId: keyId, scopes: new Set(['transcribe']) });
    await store.revoke(keyId, now);
    now += 29_000;
    expect(await outcome(verifier.verify(key))).toBe('accepted');
    now += 2000;
    expect(await outcome(verifier.verify(key))).toBe('UNAUTHORIZED');
  });

  it('with API_KEY_CACHE_SECONDS=0 refuses a revoked key at once', async () => {
    const verifier = new ApiKeyVerifier(store, loadConfig({ API_KEY_CACHE_SECONDS: '0' }));
    const { key, keyId } = await addKey();
    expect(await outcome(verifier.verify(key))).toBe('accepted');
    await store.revoke(keyId, now);
    expect(await outcome(verifier.verify(key))).toBe('UNAUTHORIZED');
  });

  it('records the last use at most once a minute per key', async () => {
    const verifier = new ApiKeyVerifier(store, loadConfig({ API_KEY_CACHE_SECONDS: '0' }));
    const { key, keyId } = await addKey();
    const touch = jest.spyOn(store, 'touch');
    const first = now;
    await verifier.verify(key);
    now += 30_000;
    await verifier.verify(key);
    expect(touch).toHaveBeenCalledTimes(1);
    expect((await store.get(keyId))?.lastUsedAt).toBe(first);
    now += 31_000;
    await verifier.verify(key);
    expect(touch).toHaveBeenCalledTimes(2);
    expect((await store.get(keyId))?.lastUsedAt).toBe(now);
  });

  it('answers 503 STORAGE_UNAVAILABLE, not 401, when the store cannot be reached', async () => {
    const { key } = await addKey();
    const refused = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }));
    const unreachable = Object.assign(Object.create(store) as ApiKeyStore, { get: refused, list: refused });
    const verifier = new ApiKeyVerifier(unreachable, loadConfig({}));
    expect(await outcome(verifier.verify(key))).toBe('STORAGE_UNAVAILABLE');
    expect(await outcome(verifier.anyActiveKey())).toBe('STORAGE_UNAVAILABLE');
  });

  it('lets a programming error through as itself (a 500 with its stack), not as an outage', async () => {
    const { key } = await addKey();
    const broken = Object.assign(Object.create(store) as ApiKeyStore, { get: () => Promise.reject(new TypeError('x is not a function')) });
    const verifier = new ApiKeyVerifier(broken, loadConfig({}));
    await expect(verifier.verify(key)).rejects.toBeInstanceOf(TypeError);
  });
});
