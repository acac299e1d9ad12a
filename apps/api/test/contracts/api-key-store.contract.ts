import { generateApiKey } from '../../src/auth/api-key';
import type { ApiKeyRecord, ApiKeyStore } from '../../src/storage/api-key-store.port';
import type { JobStore } from '../../src/storage/job-store.port';

export interface ApiKeyStoreHarness {
  /** A key store on fresh, empty storage. */
  readonly store: ApiKeyStore;
  /** The job store on the same storage (same SQLite file, same DynamoDB table). */
  readonly jobs: JobStore;
  readonly dispose: () => Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1);

function key(n: number, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const { keyId, hash } = generateApiKey();
  return { keyId, name: `key ${n}`, scopes: ['transcribe', 'jobs:read'], hash, createdAt: T0 + n * 1000, revokedAt: null, lastUsedAt: null, ...overrides };
}

/** What every ApiKeyStore adapter must do, on real storage (a SQLite file; DynamoDB through the AWS SDK on dynalite). */
export function apiKeyStoreContract(name: string, makeHarness: () => Promise<ApiKeyStoreHarness>): void {
  describe(`ApiKeyStore contract: ${name}`, () => {
    let harness: ApiKeyStoreHarness;
    let store: ApiKeyStore;

    beforeEach(async () => {
      harness = await makeHarness();
      store = harness.store;
    });

    afterEach(async () => harness?.dispose());

    it('stores a key and reads it back unchanged', async () => {
      const admin = key(1, { name: 'ops – Grüße', scopes: ['admin'], lastUsedAt: T0 + 5 });
      await store.insert(admin);
      expect(await store.get(admin.keyId)).toEqual(admin);
      expect(await store.get('nosuchkey000')).toBeNull();
    });

    it('refuses a second key with the same id', async () => {
      const first = key(1);
      await store.insert(first);
      // Not `rejects.toThrow()`: native addon errors are not `instanceof Error` across jest realms.
      const outcome = await store.insert({ ...key(2), keyId: first.keyId }).then(
        () => 'resolved',
        () => 'rejected',
      );
      expect(outcome).toBe('rejected');
      expect(await store.get(first.keyId)).toEqual(first);
    });

    it('lists every key, revoked ones included, oldest first', async () => {
      const keys = [key(3), key(1), key(2, { revokedAt: T0 + 9000 })];
      for (const record of keys) await store.insert(record);
      expect(await store.list()).toEqual([keys[1], keys[2], keys[0]]);
    });

    it('revokes once: the first revocation time stays; an unknown id answers null', async () => {
      const record = key(1);
      await store.insert(record);
      expect(await store.revoke(record.keyId, T0 + 50_000)).toEqual({ ...record, revokedAt: T0 + 50_000 });
      expect(await store.revoke(record.keyId, T0 + 90_000)).toEqual({ ...record, revokedAt: T0 + 50_000 });
      expect(await store.get(record.keyId)).toEqual({ ...record, revokedAt: T0 + 50_000 });
      expect(await store.revoke('nosuchkey000', T0)).toBeNull();
      expect(await store.list()).toHaveLength(1);
    });

    it('records the last use, and creates nothing for an unknown id', async () => {
      const record = key(1);
      await store.insert(record);
      await store.touch(record.keyId, T0 + 77_000);
      expect(await store.get(record.keyId)).toEqual({ ...record, lastUsedAt: T0 + 77_000 });
      await store.touch('nosuchkey000', T0);
      expect(await store.get('nosuchkey000')).toBeNull();
      expect(await store.list()).toHaveLength(1);
    });

    it('lives beside the jobs without ever showing up as one', async () => {
      const record = key(1);
      await store.insert(record);
      const { jobs } = harness;
      expect((await jobs.list({ limit: 10 })).records).toEqual([]);
      expect((await jobs.list({ limit: 10, ownerId: record.keyId })).records).toEqual([]);
      expect(await jobs.listClaimable(T0 + 10 ** 12, 10)).toEqual([]);
      expect(await jobs.listExpired(T0 + 10 ** 12, 10)).toEqual([]);
      expect(await jobs.get(record.keyId)).toBeNull();
      expect(await jobs.get(`apikey#${record.keyId}`)).toBeNull();
    });
  });
}
