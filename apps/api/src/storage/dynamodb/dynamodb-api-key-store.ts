import { ConditionalCheckFailedException, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type ApiKeyScope, isApiKeyScope } from '@speech/contracts';
import { type ApiKeyRecord, ApiKeyStore } from '../api-key-store.port';
import { createDynamoDbClients, type DynamoDbOptions } from './dynamodb-client';
import { isoKey } from './dynamodb-items';
import { ensureJobsTable, JOBS_TABLE } from './dynamodb-table';

/** Key items share the jobs table under prefixed ids, like idempotency keys and the webhook outbox. */
export const API_KEY_PREFIX = 'apikey#';
/**
 * Key items sit in the status index under this pseudo-status, so listing them (and "does any key exist?") is one
 * Query: the API's task role may Query but not Scan the table. No job query ever asks for this status, and key
 * items carry no `ownerId` (so never appear in an owner's job list) and no `doc` (so `get` never takes them for a job).
 */
export const API_KEY_STATUS = 'apikey';

/** API keys as items of the jobs table: no new table, no new IAM permission (GetItem, PutItem, UpdateItem, Query). */
export class DynamoDbApiKeyStore extends ApiKeyStore {
  readonly kind = 'dynamodb' as const;
  private readonly raw: DynamoDBClient;
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly createTable: boolean;

  /**
   * `createTable: false` (the CLI against AWS): a missing table is an error, never a new empty table made because
   * of a typo in JOBS_TABLE.
   */
  constructor(options: DynamoDbOptions & { readonly createTable?: boolean }) {
    super();
    this.table = options.table;
    this.createTable = options.createTable ?? true;
    ({ raw: this.raw, client: this.client } = createDynamoDbClients(options));
  }

  async init(): Promise<void> {
    if (this.createTable) await ensureJobsTable(this.raw, this.table);
    else await this.raw.send(new DescribeTableCommand({ TableName: this.table }));
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          id: `${API_KEY_PREFIX}${record.keyId}`,
          jobStatus: API_KEY_STATUS,
          createdAt: isoKey(record.createdAt),
          keyId: record.keyId,
          name: record.name,
          scopes: [...record.scopes],
          hash: record.hash,
          createdAtMs: record.createdAt,
          ...(record.revokedAt !== null ? { revokedAt: record.revokedAt } : {}),
          ...(record.lastUsedAt !== null ? { lastUsedAt: record.lastUsedAt } : {}),
        },
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
  }

  async get(keyId: string): Promise<ApiKeyRecord | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { id: `${API_KEY_PREFIX}${keyId}` }, ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const records: ApiKeyRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: JOBS_TABLE.byStatus,
          KeyConditionExpression: 'jobStatus = :status',
          ExpressionAttributeValues: { ':status': API_KEY_STATUS },
          ScanIndexForward: true,
          ExclusiveStartKey: start,
        }),
      );
      records.push(...(page.Items ?? []).map(fromItem));
      start = page.LastEvaluatedKey;
    } while (start);
    return records.sort((a, b) => a.createdAt - b.createdAt || a.keyId.localeCompare(b.keyId));
  }

  async revoke(keyId: string, at: number): Promise<ApiKeyRecord | null> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id: `${API_KEY_PREFIX}${keyId}` },
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? fromItem(Attributes) : null;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  async touch(keyId: string, at: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id: `${API_KEY_PREFIX}${keyId}` },
          UpdateExpression: 'SET lastUsedAt = :at',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
    this.raw.destroy();
  }
}

function fromItem(item: Record<string, unknown>): ApiKeyRecord {
  const scopes = Array.isArray(item['scopes']) ? (item['scopes'] as unknown[]).filter(isApiKeyScope) : [];
  return {
    keyId: String(item['keyId']),
    name: String(item['name']),
    scopes: scopes as ApiKeyScope[],
    hash: String(item['hash']),
    createdAt: Number(item['createdAtMs']),
    revokedAt: typeof item['revokedAt'] === 'number' ? item['revokedAt'] : null,
    lastUsedAt: typeof item['lastUsedAt'] === 'number' ? item['lastUsedAt'] : null,
  };
}
