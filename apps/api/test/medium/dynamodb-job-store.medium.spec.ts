import { randomUUID } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ANONYMOUS_OWNER } from '../../src/common/anonymous-owner';
import { newJobRecord, nextVersion } from '../../src/jobs/job-record';
import { createDynamoDbClients, type JobsTableClient } from '../../src/storage/dynamodb/dynamodb-client';
import { outboxItem, WEBHOOK_DUE_STATUS } from '../../src/storage/dynamodb/dynamodb-items';
import { DynamoDbJobStore } from '../../src/storage/dynamodb/dynamodb-job-store';
import { JOBS_TABLE } from '../../src/storage/dynamodb/dynamodb-table';
import { sweepWebhookOutbox } from '../../src/storage/dynamodb/dynamodb-webhook-outbox';
import { jobStoreContract } from '../contracts/job-store.contract';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalServer, startDynalite } from './support/local-aws';

/** The same contract as SQLite, through the real AWS SDK against dynalite (DynamoDB's wire protocol). */
let dynamo: LocalServer;

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => dynamo?.stop());

jobStoreContract('DynamoDB (dynalite, real AWS SDK)', async () => {
  const options = { table: `jobs-${randomUUID()}`, region: LOCAL_REGION, endpoint: dynamo.endpoint, credentials: LOCAL_CREDENTIALS };
  const store = new DynamoDbJobStore(options);
  await store.init();
  return {
    store,
    twin: async () => {
      const twin = new DynamoDbJobStore(options);
      await twin.init();
      return twin;
    },
    dispose: () => store.close(),
  };
});

describe('DynamoDB webhook outbox (dynalite)', () => {
  const T0 = Date.UTC(2026, 0, 1);
  let store: DynamoDbJobStore;
  let raw: DynamoDBDocumentClient;
  let table: string;

  beforeEach(async () => {
    table = `jobs-${randomUUID()}`;
    const options = { table, region: LOCAL_REGION, endpoint: dynamo.endpoint, credentials: LOCAL_CREDENTIALS };
    store = new DynamoDbJobStore(options);
    await store.init();
    raw = createDynamoDbClients(options).client;
  });

  afterEach(async () => {
    raw?.destroy();
    await store?.close();
  });

  /** Every outbox item as stored: its id and the due time it is filed under. */
  async function outbox(): Promise<string[]> {
    const { Items = [] } = await raw.send(
      new QueryCommand({
        TableName: table,
        IndexName: JOBS_TABLE.byStatus,
        KeyConditionExpression: 'jobStatus = :status',
        ExpressionAttributeValues: { ':status': WEBHOOK_DUE_STATUS },
      }),
    );
    return Items.map((item) => `${item['id']}@${item['createdAt']}`).sort();
  }

  function job(n: number, dueAt: number | null) {
    const base = newJobRecord(
      {
        options: { task: 'transcribe', temperature: 0, word_timestamps: false, response_format: 'json' },
        audio: { filename: null, bytes: 1000, format: 'wav' },
        callbackUrl: 'https://hooks.example/x',
        idempotencyKey: null,
        requestHash: null,
        maxAttempts: 3,
        ownerId: ANONYMOUS_OWNER,
        id: `job_outbox_${n}`,
      },
      T0,
    );
    return { ...base, status: 'succeeded' as const, webhook: { deliveries: [], dueAt } };
  }

  it('reads what is due without writing, and leaves stale entries to the sweep', async () => {
    const now = T0 + 100_000;
    const due = job(1, now - 5);
    const gone = job(2, now - 30);
    const later = job(3, now + 60_000);
    for (const record of [due, gone, later]) await store.insert(record);
    await store.delete(gone.id);
    // An outbox entry whose job was never written (its creator died between the two writes).
    await raw.send(new PutCommand({ TableName: table, Item: outboxItem(job(4, now - 40), now - 40) }));
    // A lost compare-and-set re-filed job 3 as due now; the job itself still says later.
    expect(await store.replace(nextVersion(later, { webhook: { deliveries: [], dueAt: now - 10 } }, now), later.version + 1)).toBe(false);
    const filed = await outbox();
    expect(filed).toHaveLength(3);

    expect((await store.listWebhooksDue(now, 10)).map((record) => record.id)).toEqual([due.id]);
    expect(await outbox()).toEqual(filed);

    expect(await store.sweepWebhooksDue(now, 10)).toBe(2);
    expect(await outbox()).toEqual(
      [`webhook#${due.id}@${new Date(now - 5).toISOString()}`, `webhook#${later.id}@${new Date(now + 60_000).toISOString()}`].sort(),
    );
    expect((await store.listWebhooksDue(now, 10)).map((record) => record.id)).toEqual([due.id]);
  });

  it('lets a job re-filed between the sweep\'s read and its write keep its new entry', async () => {
    const now = T0 + 100_000;
    const record = job(1, null);
    await store.insert(record);
    await raw.send(new PutCommand({ TableName: table, Item: outboxItem(record, now - 10) }));
    // The sweep saw the entry at now - 10 (its job has nothing due); the job is re-filed at now - 1 before it writes.
    const refiled = { ...record, webhook: { deliveries: [], dueAt: now - 1 } };
    let raced = false;
    const racing: JobsTableClient = {
      table,
      client: {
        send: async (command: unknown) => {
          if (!raced && command instanceof DeleteCommand) {
            raced = true;
            await raw.send(new PutCommand({ TableName: table, Item: outboxItem(refiled, now - 1) }));
          }
          return raw.send(command as QueryCommand);
        },
      } as unknown as DynamoDBDocumentClient,
    };
    expect(await sweepWebhookOutbox(racing, now, 10)).toBe(0);
    expect(raced).toBe(true);
    expect(await outbox()).toEqual([`webhook#${record.id}@${new Date(now - 1).toISOString()}`]);
  });
});
