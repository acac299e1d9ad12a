import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Where the jobs table is; both DynamoDB stores (jobs, API keys) take these. */
export interface DynamoDbOptions {
  readonly table: string;
  readonly region: string;
  readonly endpoint?: string;
  /** Tests against a local server pass dummy credentials; on AWS the default chain (task role) applies. */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The document client and the table it works on: what each part of the job store is handed. */
export interface JobsTableClient {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
}

/**
 * The raw and document clients both DynamoDB stores use. Without the time-outs the SDK waits on a silent
 * endpoint forever; with them a vanished table is a timely 503 STORAGE_UNAVAILABLE.
 */
export function createDynamoDbClients(options: DynamoDbOptions): { raw: DynamoDBClient; client: DynamoDBDocumentClient } {
  const raw = new DynamoDBClient({
    region: options.region,
    requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 },
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return { raw, client: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }) };
}
