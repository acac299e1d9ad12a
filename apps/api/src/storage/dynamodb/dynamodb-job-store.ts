import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { TERMINAL_JOB_STATUSES } from '@speech/contracts';
import { decodeCursor, encodeCursor } from '../job-cursor';
import { type InsertOutcome, type JobListQuery, type JobPage, type JobRecord, JobStore } from '../job-store.port';
import { ensureJobsTable, JOBS_TABLE } from './dynamodb-table';
import {
  DEFAULT_OWNER,
  fromItem,
  IDEMPOTENCY_PREFIX,
  isoKey,
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
    this.raw = new DynamoDBClient({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
    this.client = DynamoDBDocumentClient.from(this.raw, { marshallOptions: { removeUndefinedValues: true } });
  }

  async init(): Promise<void> {
    await ensureJobsTable(this.raw, this.table);
  }

  async insert(record: JobRecord): Promise<InsertOutcome> {
    if (record.idempotencyKey !== null) {
      const existing = await this.claimIdempotencyKey(record.idempotencyKey, record.id);
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
          Key: { id: `${IDEMPOTENCY_PREFIX}${record.idempotencyKey}` },
          ConditionExpression: 'jobId = :id',
          ExpressionAttributeValues: { ':id': id },
        }),
      ).catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
    }
  }

  async list(query: JobListQuery): Promise<JobPage> {
    const statuses = query.statuses ?? [];
    const single = statuses.length === 1 ? statuses[0] : undefined;
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const input: QueryCommandInput = single
      ? {
          TableName: this.table,
          IndexName: JOBS_TABLE.byStatus,
          KeyConditionExpression: 'jobStatus = :status',
          ExpressionAttributeValues: { ':status': single },
          ExclusiveStartKey: after && { id: after.id, jobStatus: single, createdAt: isoKey(after.createdAt) },
        }
      : {
          TableName: this.table,
          IndexName: JOBS_TABLE.byOwner,
          KeyConditionExpression: 'ownerId = :owner',
          ExpressionAttributeValues: {
            ':owner': DEFAULT_OWNER,
            ...Object.fromEntries(statuses.map((status, i) => [`:s${i}`, status])),
          },
          ...(statuses.length > 1 ? { FilterExpression: `jobStatus IN (${statuses.map((_, i) => `:s${i}`).join(', ')})` } : {}),
          ExclusiveStartKey: after && { id: after.id, ownerId: DEFAULT_OWNER, createdAt: isoKey(after.createdAt) },
        };
    // One more than asked tells whether a next page exists.
    const records = await this.queryRecords({ ...input, ScanIndexForward: false }, query.limit + 1);
    const page = records.slice(0, query.limit);
    const last = page[page.length - 1];
    return { records: page, nextCursor: records.length > query.limit && last ? encodeCursor(last) : null };
  }

  async listClaimable(now: number, limit: number): Promise<JobRecord[]> {
    const queued = await this.queryRecords(this.byStatus('queued'), limit);
    const expired = await this.queryRecords(
      { ...this.byStatus('running'), FilterExpression: 'leaseExpiresAt < :now', ExpressionAttributeValues: { ':status': 'running', ':now': now } },
      limit,
    );
    return [...queued, ...expired].slice(0, limit);
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
  private async queryRecords(input: QueryCommandInput, wanted: number): Promise<JobRecord[]> {
    const records: JobRecord[] = [];
    let start = input.ExclusiveStartKey;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start, Limit: Math.max(wanted, 25) }));
      for (const item of page.Items ?? []) {
        if (records.length < wanted) records.push(fromItem(item));
      }
      start = page.LastEvaluatedKey;
    } while (start && records.length < wanted);
    return records;
  }

  /** Returns the job already created under `key`, or null once the key is ours. */
  private async claimIdempotencyKey(key: string, jobId: string): Promise<JobRecord | null> {
    const id = `${IDEMPOTENCY_PREFIX}${key}`;
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
    throw new Error(`idempotency key ${key} is contended`);
  }
}
