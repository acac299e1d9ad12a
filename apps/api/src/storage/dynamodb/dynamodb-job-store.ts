import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { JOB_STATUSES, TERMINAL_JOB_STATUSES } from '@speech/contracts';
import { ANONYMOUS_OWNER } from '../../auth/principal';
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
import { createDynamoDbClients } from './dynamodb-client';
import { ensureJobsTable, JOBS_TABLE } from './dynamodb-table';
import {
  fromItem,
  idempotencyItemId,
  isoKey,
  ownerClaimItemId,
  outboxItem,
  toItem,
  WEBHOOK_DUE_STATUS,
  WEBHOOK_OUTBOX_PREFIX,
} from './dynamodb-items';

export interface DynamoDbJobStoreOptions {
  readonly table: string;
  readonly region: string;
  readonly endpoint?: string;
  /** Tests against a local server pass dummy credentials; on AWS the default chain (task role) applies. */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
}

const IDEMPOTENCY_TTL_SECONDS = 30 * 24 * 3600;
/** A key whose job has not appeared this long after it was claimed belongs to a creator that died. */
const ABANDONED_CLAIM_MS = 30_000;
/**
 * The fair claim order reads the key attributes of at most this many queued and this many running jobs per look
 * (the per-key caps keep the queue far below it); owners whose jobs all lie beyond it wait for the next look.
 */
const FAIR_SCAN_LIMIT = 5000;

interface ActiveEntry {
  readonly id: string;
  readonly ownerId: string;
  readonly status: string;
  readonly createdAt: number;
  readonly claimedAt: number | null;
  readonly leaseExpiresAt: number | null;
}

/**
 * Jobs in DynamoDB. Every job write is a PutItem conditioned on the version read (compare-and-set), so two
 * API tasks can never both claim or finish a job. No transactions are used (local stand-ins lack them):
 * side items (idempotency keys, the webhook outbox) are written first and tolerated when stale.
 */
export class DynamoDbJobStore extends JobStore {
  readonly kind = 'dynamodb' as const;
  private readonly raw: DynamoDBClient;
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: DynamoDbJobStoreOptions) {
    super();
    this.table = options.table;
    ({ raw: this.raw, client: this.client } = createDynamoDbClients(options));
  }

  async init(): Promise<void> {
    await ensureJobsTable(this.raw, this.table);
  }

  async insert(record: JobRecord): Promise<InsertOutcome> {
    if (record.idempotencyKey !== null) {
      const existing = await this.claimIdempotencyKey(idempotencyItemId(record.ownerId, record.idempotencyKey), record.id);
      if (existing) return { inserted: false, existing };
    }
    if (record.webhook.dueAt !== null) {
      await this.client.send(new PutCommand({ TableName: this.table, Item: outboxItem(record, record.webhook.dueAt) }));
    }
    await this.client.send(
      new PutCommand({ TableName: this.table, Item: toItem(record), ConditionExpression: 'attribute_not_exists(id)' }),
    );
    return { inserted: true };
  }

  async get(id: string): Promise<JobRecord | null> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }));
    return Item && typeof Item['doc'] === 'string' ? fromItem(Item) : null;
  }

  async replace(next: JobRecord, expectedVersion: number): Promise<boolean> {
    // Intent first: if we die between the two writes, the outbox entry is found stale and dropped later.
    if (next.webhook.dueAt !== null) {
      await this.client.send(new PutCommand({ TableName: this.table, Item: outboxItem(next, next.webhook.dueAt) }));
    }
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(next),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    const record = await this.get(id);
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: { id } }));
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: { id: `${WEBHOOK_OUTBOX_PREFIX}${id}` } }));
    if (record?.idempotencyKey) {
      await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { id: idempotencyItemId(record.ownerId, record.idempotencyKey) },
          ConditionExpression: 'jobId = :id',
          ExpressionAttributeValues: { ':id': id },
        }),
      ).catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
    }
  }

  /**
   * One owner: its partition of the owner index, newest first. Every owner (admin): each status partition of the
   * status index from the cursor on, merged newest first (one Query per status, no Scan).
   */
  async list(query: JobListQuery): Promise<JobPage> {
    const statuses = query.statuses ?? [];
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    // One more than asked tells whether a next page exists.
    const wanted = query.limit + 1;
    let records: JobRecord[];
    if (query.ownerId !== undefined) {
      const owner = query.ownerId;
      records = await this.queryRecords(
        {
          TableName: this.table,
          IndexName: JOBS_TABLE.byOwner,
          KeyConditionExpression: 'ownerId = :owner',
          ExpressionAttributeValues: { ':owner': owner, ...Object.fromEntries(statuses.map((status, i) => [`:s${i}`, status])) },
          ...(statuses.length > 0 ? { FilterExpression: `jobStatus IN (${statuses.map((_, i) => `:s${i}`).join(', ')})` } : {}),
          ExclusiveStartKey: after && { id: after.id, ownerId: owner, createdAt: isoKey(after.createdAt) },
          ScanIndexForward: false,
        },
        wanted,
      );
    } else {
      const partitions = await Promise.all(
        (statuses.length > 0 ? statuses : JOB_STATUSES).map((status) =>
          this.queryRecords(
            {
              TableName: this.table,
              IndexName: JOBS_TABLE.byStatus,
              KeyConditionExpression: after ? 'jobStatus = :status AND createdAt <= :after' : 'jobStatus = :status',
              ExpressionAttributeValues: { ':status': status, ...(after ? { ':after': isoKey(after.createdAt) } : {}) },
              ScanIndexForward: false,
            },
            wanted,
            // Key attributes cannot be filtered server-side: drop the cursor's own millisecond up to its id here.
            after && ((record) => record.createdAt < after.createdAt || record.id < after.id),
          ),
        ),
      );
      records = partitions.flat().sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).slice(0, wanted);
    }
    const page = records.slice(0, query.limit);
    const last = page[page.length - 1];
    return { records: page, nextCursor: records.length > query.limit && last ? encodeCursor(last) : null };
  }

  /**
   * Reads only key attributes of the queued and running partitions, orders owners fairly, then fetches the few chosen
   * documents. Each candidate is still claimed by compare-and-set, so a stale look only costs a lost race.
   */
  async listClaimable(now: number, limit: number): Promise<JobRecord[]> {
    const active = await this.activeEntries();
    const queuedByOwner = new Map<string, ActiveEntry[]>();
    for (const entry of active) {
      if (entry.status !== 'queued') continue;
      queuedByOwner.set(entry.ownerId, [...(queuedByOwner.get(entry.ownerId) ?? []), entry]);
    }
    const owners = fairOwnerOrder(ownerStatesOf(active, await this.servedAt(queuedByOwner.keys()))).slice(0, limit);
    const queued = interleave(owners.map((owner) => (queuedByOwner.get(owner.ownerId) ?? []).slice(0, limit)), limit);
    const expired = active.filter((entry) => entry.status === 'running' && (entry.leaseExpiresAt ?? 0) < now);
    const chosen = [...queued, ...expired].slice(0, limit);
    const records = await Promise.all(chosen.map((entry) => this.get(entry.id)));
    return records.filter((record): record is JobRecord => record !== null);
  }

  async noteClaim(ownerId: string, at: number): Promise<void> {
    // No jobStatus attribute: the item stays out of the status index.
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id: ownerClaimItemId(ownerId) },
          UpdateExpression: 'SET lastClaimedAt = :at',
          ConditionExpression: 'attribute_not_exists(lastClaimedAt) OR lastClaimedAt < :at',
          ExpressionAttributeValues: { ':at': at },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async ownerQueues(): Promise<OwnerQueueState[]> {
    const active = await this.activeEntries();
    return ownerStatesOf(active, await this.servedAt(new Set(active.map((entry) => entry.ownerId))));
  }

  async ownerBacklog(ownerId: string): Promise<BacklogEntry[]> {
    const entries: BacklogEntry[] = [];
    for (const status of ['queued', 'running'] as const) {
      const records = await this.queryRecords(
        {
          ...this.byStatus(status),
          FilterExpression: 'ownerId = :owner',
          ExpressionAttributeValues: { ':status': status, ':owner': ownerId },
        },
        FAIR_SCAN_LIMIT,
      );
      entries.push(...records.map((record) => ({ status, bytes: record.audio.bytes, format: record.audio.format, durationSeconds: record.audio.durationSeconds })));
    }
    return entries;
  }

  async listWebhooksDue(now: number, limit: number): Promise<JobRecord[]> {
    const due: JobRecord[] = [];
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: JOBS_TABLE.byStatus,
        KeyConditionExpression: 'jobStatus = :status AND createdAt <= :now',
        ExpressionAttributeValues: { ':status': WEBHOOK_DUE_STATUS, ':now': isoKey(now) },
        Limit: limit * 2,
      }),
    );
    for (const entry of Items) {
      const jobId = entry['jobId'] as string;
      const record = await this.get(jobId);
      const dueAt = record?.webhook.dueAt ?? null;
      if (!record || dueAt === null) {
        await this.client.send(new DeleteCommand({ TableName: this.table, Key: { id: entry['id'] as string } }));
      } else if (dueAt > now) {
        await this.client.send(new PutCommand({ TableName: this.table, Item: outboxItem(record, dueAt) }));
      } else if (due.length < limit) {
        due.push(record);
      }
    }
    return due;
  }

  async listExpired(now: number, limit: number): Promise<JobRecord[]> {
    const expired: JobRecord[] = [];
    for (const status of TERMINAL_JOB_STATUSES) {
      if (expired.length >= limit) break;
      // A job expires after it ended, so only jobs created before `now` can qualify.
      const input = this.byStatus(status);
      expired.push(
        ...(await this.queryRecords(
          {
            ...input,
            KeyConditionExpression: 'jobStatus = :status AND createdAt <= :now',
            FilterExpression: 'expiresAtMs <= :nowMs',
            ExpressionAttributeValues: { ':status': status, ':now': isoKey(now), ':nowMs': now },
          },
          limit - expired.length,
        )),
      );
    }
    return expired;
  }

  async close(): Promise<void> {
    this.client.destroy();
    this.raw.destroy();
  }

  /** The remembered last claim of each of these owners (JobStore.noteClaim). */
  private async servedAt(owners: Iterable<string>): Promise<Map<string, number>> {
    const ids = [...new Set(owners)];
    const served = new Map<string, number>();
    for (let start = 0; start < ids.length; start += 100) {
      let keys: Array<Record<string, unknown>> | undefined = ids.slice(start, start + 100).map((owner) => ({ id: ownerClaimItemId(owner) }));
      // BatchGet may answer part of the keys and hand the rest back as unprocessed.
      for (let tries = 0; keys && keys.length > 0 && tries < 5; tries += 1) {
        const answer: BatchGetCommandOutput = await this.client.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of answer.Responses?.[this.table] ?? []) {
          const owner = (item['id'] as string).slice(ownerClaimItemId('').length);
          if (typeof item['lastClaimedAt'] === 'number') served.set(owner, item['lastClaimedAt']);
        }
        keys = answer.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return served;
  }

  /** Key attributes of queued and running jobs, each partition oldest first. */
  private async activeEntries(): Promise<ActiveEntry[]> {
    const entries: ActiveEntry[] = [];
    for (const status of ['queued', 'running'] as const) {
      let start: QueryCommandInput['ExclusiveStartKey'];
      let read = 0;
      do {
        const page = await this.client.send(
          new QueryCommand({
            ...this.byStatus(status),
            ProjectionExpression: '#id, ownerId, createdAt, claimedAtMs, leaseExpiresAt',
            ExpressionAttributeNames: { '#id': 'id' },
            ExclusiveStartKey: start,
            Limit: Math.min(1000, FAIR_SCAN_LIMIT - read),
          }),
        );
        for (const item of page.Items ?? []) {
          entries.push({
            id: item['id'] as string,
            ownerId: (item['ownerId'] as string | undefined) ?? ANONYMOUS_OWNER,
            status,
            createdAt: Date.parse(item['createdAt'] as string),
            claimedAt: typeof item['claimedAtMs'] === 'number' ? item['claimedAtMs'] : null,
            leaseExpiresAt: typeof item['leaseExpiresAt'] === 'number' ? item['leaseExpiresAt'] : null,
          });
        }
        read += page.Items?.length ?? 0;
        start = page.LastEvaluatedKey;
      } while (start && read < FAIR_SCAN_LIMIT);
    }
    return entries;
  }

  private byStatus(status: string): QueryCommandInput {
    return {
      TableName: this.table,
      IndexName: JOBS_TABLE.byStatus,
      KeyConditionExpression: 'jobStatus = :status',
      ExpressionAttributeValues: { ':status': status },
      ScanIndexForward: true,
    };
  }

  /** Follows pages until `wanted` records matched (filters may leave pages short) or the index ends. */
  private async queryRecords(input: QueryCommandInput, wanted: number, keep: (record: JobRecord) => boolean = () => true): Promise<JobRecord[]> {
    const records: JobRecord[] = [];
    let start = input.ExclusiveStartKey;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start, Limit: Math.max(wanted, 25) }));
      for (const item of page.Items ?? []) {
        const record = fromItem(item);
        if (records.length < wanted && keep(record)) records.push(record);
      }
      start = page.LastEvaluatedKey;
    } while (start && records.length < wanted);
    return records;
  }

  /** Returns the job already created under `key`, or null once the key is ours. */
  private async claimIdempotencyKey(id: string, jobId: string): Promise<JobRecord | null> {
    const item = () => ({ id, jobId, claimedAt: Date.now(), expiresAt: Math.ceil(Date.now() / 1000) + IDEMPOTENCY_TTL_SECONDS });
    for (let tries = 0; tries < 20; tries += 1) {
      try {
        await this.client.send(new PutCommand({ TableName: this.table, Item: item(), ConditionExpression: 'attribute_not_exists(id)' }));
        return null;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }));
      const owner = Item?.['jobId'] as string | undefined;
      if (!owner) continue;
      const existing = await this.get(owner);
      if (existing) return existing;
      if (Date.now() - Number(Item?.['claimedAt'] ?? 0) < ABANDONED_CLAIM_MS) {
        // Its creator is probably writing the job right now: look again shortly.
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      // The key's creator died before writing its job (or the job was purged): take the key over.
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: item(),
            ConditionExpression: 'jobId = :owner',
            ExpressionAttributeValues: { ':owner': owner },
          }),
        );
        return null;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error(`idempotency key ${id} is contended`);
  }
}
