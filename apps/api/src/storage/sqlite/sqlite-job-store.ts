import type Database from 'better-sqlite3';
import type { JobStatus } from '@speech/contracts';
import { ANONYMOUS_OWNER } from '../../common/anonymous-owner';
import { fairOwnerOrder, interleave, ownerStatesOf } from '../fair-claim-order';
import { decodeCursor, encodeCursor } from '../job-cursor';
import {
  type BacklogEntry,
  type InsertOutcome,
  type JobListQuery,
  type JobPage,
  type JobRecord,
  JobStore,
  type OwnerQueueState,
} from '../job-store.port';
import { openSqliteFile } from './open-sqlite-file';

interface Row {
  doc: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    lease_expires_at INTEGER,
    webhook_due_at INTEGER,
    expires_at INTEGER,
    idempotency_key TEXT UNIQUE,
    doc TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS jobs_by_created ON jobs (created_at DESC, id DESC);
  CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status, created_at);
  CREATE INDEX IF NOT EXISTS jobs_webhook_due ON jobs (webhook_due_at) WHERE webhook_due_at IS NOT NULL;
  CREATE INDEX IF NOT EXISTS jobs_expiry ON jobs (expires_at) WHERE expires_at IS NOT NULL;
  CREATE TABLE IF NOT EXISTS job_owner_claims (owner_id TEXT PRIMARY KEY, last_claimed_at INTEGER NOT NULL);
`;

/**
 * Jobs got owners with API keys. Rows from before belong to the anonymous owner, and the unique idempotency column
 * holds `<owner>#<key>` from then on (an owner id never contains '#'), so each owner has its own keys.
 */
const ADD_OWNERS = `
  ALTER TABLE jobs ADD COLUMN owner_id TEXT NOT NULL DEFAULT '${ANONYMOUS_OWNER}';
  UPDATE jobs SET idempotency_key = '${ANONYMOUS_OWNER}#' || idempotency_key WHERE idempotency_key IS NOT NULL;
`;
const OWNER_INDEX = 'CREATE INDEX IF NOT EXISTS jobs_by_owner ON jobs (owner_id, created_at DESC, id DESC);';
/** Fair sharing orders claims by each owner's last claim; the column is null for rows from before. */
const ADD_CLAIMED_AT = 'ALTER TABLE jobs ADD COLUMN claimed_at INTEGER;';
const OWNER_STATUS_INDEX = 'CREATE INDEX IF NOT EXISTS jobs_by_owner_status ON jobs (owner_id, status, created_at, id);';

interface ActiveRow {
  ownerId: string;
  status: string;
  createdAt: number;
  claimedAt: number | null;
}

/**
 * The default job store: one SQLite file in WAL mode, nothing to start. Several API processes on one machine
 * may share the file: SQLite serialises writers, and `replace` is a compare-and-set on `version`.
 */
export class SqliteJobStore extends JobStore {
  readonly kind = 'sqlite' as const;
  private db?: Database.Database;

  constructor(private readonly path: string) {
    super();
  }

  async init(): Promise<void> {
    if (this.db) return;
    const db = openSqliteFile(this.path);
    db.exec(SCHEMA);
    // In one write transaction, so two processes opening an old file migrate it once.
    db.transaction(() => {
      const columns = db.prepare('PRAGMA table_info(jobs)').all() as Array<{ name: string }>;
      if (!columns.some((column) => column.name === 'owner_id')) db.exec(ADD_OWNERS);
      if (!columns.some((column) => column.name === 'claimed_at')) db.exec(ADD_CLAIMED_AT);
      db.exec(OWNER_INDEX);
      db.exec(OWNER_STATUS_INDEX);
    }).immediate();
    this.db = db;
  }

  async insert(record: JobRecord): Promise<InsertOutcome> {
    const db = this.open();
    // BEGIN IMMEDIATE takes the write lock first, so the key check and the insert cannot interleave across processes.
    return db.transaction((): InsertOutcome => {
      if (record.idempotencyKey !== null) {
        const existing = db.prepare('SELECT doc FROM jobs WHERE idempotency_key = ?').get(scopedKey(record)) as Row | undefined;
        if (existing) return { inserted: false, existing: parse(existing) };
      }
      db.prepare(
        `INSERT INTO jobs (id, version, owner_id, status, created_at, lease_expires_at, webhook_due_at, expires_at, idempotency_key, claimed_at, doc)
         VALUES (@id, @version, @ownerId, @status, @createdAt, @leaseExpiresAt, @webhookDueAt, @expiresAt, @idempotencyKey, @claimedAt, @doc)`,
      ).run(columns(record));
      return { inserted: true };
    }).immediate();
  }

  async get(id: string): Promise<JobRecord | null> {
    const row = this.open().prepare('SELECT doc FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return row ? parse(row) : null;
  }

  async replace(next: JobRecord, expectedVersion: number): Promise<boolean> {
    const result = this.open()
      .prepare(
        `UPDATE jobs SET version = @version, status = @status, lease_expires_at = @leaseExpiresAt,
           webhook_due_at = @webhookDueAt, expires_at = @expiresAt, claimed_at = @claimedAt, doc = @doc
         WHERE id = @id AND version = @expectedVersion`,
      )
      .run({ ...columns(next), expectedVersion });
    return result.changes === 1;
  }

  async delete(id: string): Promise<void> {
    this.open().prepare('DELETE FROM jobs WHERE id = ?').run(id);
  }

  async list(query: JobListQuery): Promise<JobPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.ownerId !== undefined) {
      where.push('owner_id = ?');
      params.push(query.ownerId);
    }
    if (query.statuses && query.statuses.length > 0) {
      where.push(`status IN (${query.statuses.map(() => '?').join(', ')})`);
      params.push(...query.statuses);
    }
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    if (after) {
      where.push('(created_at < ? OR (created_at = ? AND id < ?))');
      params.push(after.createdAt, after.createdAt, after.id);
    }
    const rows = this.open()
      .prepare(
        `SELECT doc FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(...params, query.limit + 1) as Row[];
    const records = rows.slice(0, query.limit).map(parse);
    const last = records[records.length - 1];
    return { records, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  async listClaimable(now: number, limit: number): Promise<JobRecord[]> {
    const db = this.open();
    const next = db.prepare("SELECT doc FROM jobs WHERE owner_id = ? AND status = 'queued' ORDER BY created_at, id LIMIT ?");
    const owners = fairOwnerOrder(await this.ownerQueues()).slice(0, limit);
    const queued = interleave(
      owners.map((owner) => next.all(owner.ownerId, limit) as Row[]),
      limit,
    );
    const expired = db
      .prepare("SELECT doc FROM jobs WHERE status = 'running' AND lease_expires_at < ? ORDER BY created_at LIMIT ?")
      .all(now, limit) as Row[];
    return [...queued, ...expired].slice(0, limit).map(parse);
  }

  async noteClaim(ownerId: string, at: number): Promise<void> {
    this.open()
      .prepare(
        `INSERT INTO job_owner_claims (owner_id, last_claimed_at) VALUES (?, ?)
         ON CONFLICT (owner_id) DO UPDATE SET last_claimed_at = MAX(last_claimed_at, excluded.last_claimed_at)`,
      )
      .run(ownerId, at);
  }

  async ownerQueues(): Promise<OwnerQueueState[]> {
    const db = this.open();
    const rows = db
      .prepare(
        `SELECT owner_id AS ownerId, status, created_at AS createdAt, claimed_at AS claimedAt
         FROM jobs WHERE status IN ('queued', 'running')`,
      )
      .all() as ActiveRow[];
    // One row per owner ever served (per API key): small.
    const served = db.prepare('SELECT owner_id AS ownerId, last_claimed_at AS at FROM job_owner_claims').all() as Array<{ ownerId: string; at: number }>;
    return ownerStatesOf(rows, new Map(served.map((row) => [row.ownerId, row.at])));
  }

  async ownerBacklog(ownerId: string): Promise<BacklogEntry[]> {
    return this.open()
      .prepare(
        `SELECT status, json_extract(doc, '$.audio.bytes') AS bytes, json_extract(doc, '$.audio.format') AS format,
           json_extract(doc, '$.audio.durationSeconds') AS durationSeconds
         FROM jobs WHERE owner_id = ? AND status IN ('queued', 'running')`,
      )
      .all(ownerId) as BacklogEntry[];
  }

  async listWebhooksDue(now: number, limit: number): Promise<JobRecord[]> {
    const rows = this.open()
      .prepare('SELECT doc FROM jobs WHERE webhook_due_at <= ? ORDER BY webhook_due_at LIMIT ?')
      .all(now, limit) as Row[];
    return rows.map(parse);
  }

  /** The due time is a column of the job's own row, written with it: nothing can go stale. */
  async sweepWebhooksDue(): Promise<number> {
    return 0;
  }

  async listExpired(now: number, limit: number): Promise<JobRecord[]> {
    const rows = this.open()
      .prepare('SELECT doc FROM jobs WHERE expires_at <= ? ORDER BY expires_at LIMIT ?')
      .all(now, limit) as Row[];
    return rows.map(parse);
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }

  private open(): Database.Database {
    if (!this.db) throw new Error('SqliteJobStore used before init()');
    return this.db;
  }
}

function columns(record: JobRecord) {
  return {
    id: record.id,
    version: record.version,
    ownerId: record.ownerId,
    status: record.status satisfies JobStatus,
    createdAt: record.createdAt,
    leaseExpiresAt: record.status === 'running' ? (record.lease?.expiresAt ?? 0) : null,
    webhookDueAt: record.webhook.dueAt,
    expiresAt: record.expiresAt,
    idempotencyKey: scopedKey(record),
    claimedAt: record.claimedAt ?? null,
    doc: JSON.stringify(record),
  };
}

function scopedKey(record: JobRecord): string | null {
  return record.idempotencyKey === null ? null : `${record.ownerId}#${record.idempotencyKey}`;
}

function parse(row: Row): JobRecord {
  const record = JSON.parse(row.doc) as JobRecord;
  // Documents written before jobs had owners.
  return record.ownerId ? record : { ...record, ownerId: ANONYMOUS_OWNER };
}
