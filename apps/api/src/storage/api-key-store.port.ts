import type { ApiKeyScope } from '@speech/contracts';

/**
 * An API key as stored: never the key itself, only the SHA-256 of its secret part. Times are epoch milliseconds.
 * The key id is public (it names the key in logs, `npm run apikey -- list` and as the owner of its jobs).
 */
export interface ApiKeyRecord {
  readonly keyId: string;
  /** What the operator called it, e.g. "ci" or "acme-prod". */
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** Hex SHA-256 of the secret. */
  readonly hash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  /** Written at most about once a minute per key, so it is approximate. */
  readonly lastUsedAt: number | null;
}

/**
 * Where API keys live: beside the jobs, in the same SQLite file or DynamoDB table (JOB_STORE picks both). The
 * abstract class is its own DI token; adapters: sqlite/ and dynamodb/, both pass test/contracts/api-key-store.contract.ts.
 */
export abstract class ApiKeyStore {
  abstract readonly kind: 'sqlite' | 'dynamodb';
  /** Creates the table when missing; idempotent. */
  abstract init(): Promise<void>;
  /** Rejects when the key id exists already. */
  abstract insert(record: ApiKeyRecord): Promise<void>;
  abstract get(keyId: string): Promise<ApiKeyRecord | null>;
  /** Every key, revoked ones included, oldest first. */
  abstract list(): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked at `at` (an already revoked key keeps its first revocation time); null for an unknown id. */
  abstract revoke(keyId: string, at: number): Promise<ApiKeyRecord | null>;
  /** Records a use; best effort, and a no-op for an unknown id. */
  abstract touch(keyId: string, at: number): Promise<void>;
  abstract close(): Promise<void>;
}
