import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';

/**
 * The jobs table as infra-cdktf creates it (config/resource-names.ts JOBS_TABLE_SCHEMA): key `id`,
 * TTL on `expiresAt` (epoch seconds), and two indexes on ISO-8601 `createdAt`.
 */
export const JOBS_TABLE = {
  partitionKey: 'id',
  ttlAttribute: 'expiresAt',
  byOwner: 'ownerId-createdAt-index',
  byStatus: 'jobStatus-createdAt-index',
} as const;

/**
 * Creates the table when it does not exist (local stand-ins, a laptop against LocalStack). On AWS the
 * infrastructure owns it, and DescribeTable is all this does.
 */
export async function ensureJobsTable(client: DynamoDBClient, table: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const index = (name: string, partitionKey: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' as const },
      { AttributeName: 'createdAt', KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'ownerId', AttributeType: 'S' },
          { AttributeName: 'jobStatus', AttributeType: 'S' },
          { AttributeName: 'createdAt', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [index(JOBS_TABLE.byOwner, 'ownerId'), index(JOBS_TABLE.byStatus, 'jobStatus')],
      }),
    );
  } catch (error) {
    // Another process created it between our describe and create.
    if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
  }
  for (let tries = 0; tries < 120; tries += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`DynamoDB table ${table} did not become ACTIVE`);
}
