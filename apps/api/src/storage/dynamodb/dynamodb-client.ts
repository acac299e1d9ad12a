import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDbJobStoreOptions } from './dynamodb-job-store';

/**
 * The raw and document clients both DynamoDB stores use. Without the time-outs the SDK waits on a silent
 * endpoint forever; with them a vanished table is a timely 503 STORAGE_UNAVAILABLE.
 */
export function createDynamoDbClients(options: DynamoDbJobStoreOptions): { raw: DynamoDBClient; client: DynamoDBDocumentClient } {
  const raw = new DynamoDBClient({
    region: options.region,
    requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 },
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return { raw, client: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }) };
}
