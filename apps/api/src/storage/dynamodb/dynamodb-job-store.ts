import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BacklogEntry,
  type InsertOutcome,
  type JobListQuery,
  type JobPage,
  type JobRecord,
  JobStore,
  type OwnerQueueState,
} from '../job-store.port';
import { listClaimable, noteClaim, ownerQueues } from './dynamodb-claim-order';
import { createDynamoDbClients, type DynamoDbOptions, type JobsTableClient } from './dynamodb-client';
import { claimIdempotencyKey, releaseIdempotencyKey } from './dynamodb-idempotency';
import { idempotencyItemId, toItem } from './dynamodb-items';
import { getJob, listExpired, listJobs, ownerBacklog } from './dynamodb-job-queries';
import { ensureJobsTable } from './dynamodb-table';
import { dropWebhookDue, fileWebhookDue, listWebhooksDue, sweepWebhookOutbox } from './dynamodb-webhook-outbox';

export type DynamoDbJobStoreOptions = DynamoDbOptions;

/**
 * Jobs in DynamoDB. Every job write is a PutItem conditioned on the version read (compare-and-set), so two
 * API tasks can never both claim or finish a job. No transactions are used (local stand-ins lack them):
 * side items (idempotency keys, the webhook outbox) are written first and tolerated when stale. The reads and the
 * side items each have their own file beside this one; this class is the JobStore port over them.
 */
export class DynamoDbJobStore extends JobStore {
  readonly kind = 'dynamodb' as const;
  private readonly raw: DynamoDBClient;
  private readonly client: DynamoDBDocumentClient;
  private readonly t: JobsTableClient;

  constructor(options: DynamoDbJobStoreOptions) {
    super();
    ({ raw: this.raw, client: this.client } = createDynamoDbClients(options));
    this.t = { client: this.client, table: options.table };
  }

  async init(): Promise<void> {
    await ensureJobsTable(this.raw, this.t.table);
  }

  async insert(record: JobRecord): Promise<InsertOutcome> {
    if (record.idempotencyKey !== null) {
      const existing = await claimIdempotencyKey(this.t, idempotencyItemId(record.ownerId, record.idempotencyKey), record.id);
      if (existing) return { inserted: false, existing };
    }
    if (record.webhook.dueAt !== null) await fileWebhookDue(this.t, record, record.webhook.dueAt);
    await this.client.send(
      new PutCommand({ TableName: this.t.table, Item: toItem(record), ConditionExpression: 'attribute_not_exists(id)' }),
    );
    return { inserted: true };
  }

  get(id: string): Promise<JobRecord | null> {
    return getJob(this.t, id);
  }

  async replace(next: JobRecord, expectedVersion: number): Promise<boolean> {
    // Intent first: if we die between the two writes, the outbox entry is found stale and swept later.
    if (next.webhook.dueAt !== null) await fileWebhookDue(this.t, next, next.webhook.dueAt);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.t.table,
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
    await this.client.send(new DeleteCommand({ TableName: this.t.table, Key: { id } }));
    await dropWebhookDue(this.t, id);
    if (record?.idempotencyKey) await releaseIdempotencyKey(this.t, idempotencyItemId(record.ownerId, record.idempotencyKey), id);
  }

  list(query: JobListQuery): Promise<JobPage> {
    return listJobs(this.t, query);
  }

  listClaimable(now: number, limit: number): Promise<JobRecord[]> {
    return listClaimable(this.t, now, limit);
  }

  noteClaim(ownerId: string, at: number): Promise<void> {
    return noteClaim(this.t, ownerId, at);
  }

  ownerQueues(): Promise<OwnerQueueState[]> {
    return ownerQueues(this.t);
  }

  ownerBacklog(ownerId: string): Promise<BacklogEntry[]> {
    return ownerBacklog(this.t, ownerId);
  }

  listWebhooksDue(now: number, limit: number): Promise<JobRecord[]> {
    return listWebhooksDue(this.t, now, limit);
  }

  sweepWebhooksDue(now: number, limit: number): Promise<number> {
    return sweepWebhookOutbox(this.t, now, limit);
  }

  listExpired(now: number, limit: number): Promise<JobRecord[]> {
    return listExpired(this.t, now, limit);
  }

  async close(): Promise<void> {
    this.client.destroy();
    this.raw.destroy();
  }
}
