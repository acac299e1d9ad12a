import { randomUUID } from 'node:crypto';
import { DynamoDbJobStore } from '../../src/storage/dynamodb/dynamodb-job-store';
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
