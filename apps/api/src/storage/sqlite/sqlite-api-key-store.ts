import type Database from 'better-sqlite3';
import { type ApiKeyScope, isApiKeyScope } from '@speech/contracts';
import { type ApiKeyRecord, ApiKeyStore } from '../api-key-store.port';
import { openSqliteFile } from './open-sqlite-file';

interface Row {
  key_id: string;
  name: string;
  scopes: string;
  hash: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_used_at INTEGER
  );
`;

/** API keys in a table of the jobs' SQLite file (DATA_DIR/jobs.sqlite), on a connection of their own. */
export class SqliteApiKeyStore extends ApiKeyStore {
  readonly kind = 'sqlite' as const;
  private db?: Database.Database;

  constructor(private readonly path: string) {
    super();
  }

  async init(): Promise<void> {
    if (this.db) return;
    const db = openSqliteFile(this.path);
    db.exec(SCHEMA);
    this.db = db;
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    this.open()
      .prepare(
        `INSERT INTO api_keys (key_id, name, scopes, hash, created_at, revoked_at, last_used_at)
         VALUES (@keyId, @name, @scopes, @hash, @createdAt, @revokedAt, @lastUsedAt)`,
      )
      .run({ ...record, scopes: JSON.stringify(record.scopes) });
  }

  async get(keyId: string): Promise<ApiKeyRecord | null> {
    const row = this.open().prepare('SELECT * FROM api_keys WHERE key_id = ?').get(keyId) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = this.open().prepare('SELECT * FROM api_keys ORDER BY created_at, key_id').all() as Row[];
    return rows.map(fromRow);
  }

  async revoke(keyId: string, at: number): Promise<ApiKeyRecord | null> {
    this.open().prepare('UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL').run(at, keyId);
    return this.get(keyId);
  }

  async touch(keyId: string, at: number): Promise<void> {
    this.open().prepare('UPDATE api_keys SET last_used_at = ? WHERE key_id = ?').run(at, keyId);
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }

  private open(): Database.Database {
    if (!this.db) throw new Error('SqliteApiKeyStore used before init()');
    return this.db;
  }
}

function fromRow(row: Row): ApiKeyRecord {
  const scopes = (JSON.parse(row.scopes) as unknown[]).filter(isApiKeyScope) as ApiKeyScope[];
  return {
    keyId: row.key_id,
    name: row.name,
    scopes,
    hash: row.hash,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}
