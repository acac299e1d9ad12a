import { randomUUID } from 'node:crypto';
import { DynamoDbApiKeyStore } from '../../src/storage/dynamodb/dynamodb-api-key-store';
import { DynamoDbJobStore } from '../../src/storage/dynamodb/dynamodb-job-store';
import { apiKeyStoreContract } from '../contracts/api-key-store.contract';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalServer, startDynalite } from './support/local-aws';

/** The same contract as SQLite: key items in the jobs table, through the real AWS SDK against dynalite. */
let dynamo: LocalServer;

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => dynamo?.stop());

apiKeyStoreContract('DynamoDB (items of the jobs table, dynalite)', async () => {
  const options = { table: `jobs-${randomUUID()}`, region: LOCAL_REGION, endpoint: dynamo.endpoint, credentials: LOCAL_CREDENTIALS };
  const jobs = new DynamoDbJobStore(options);
  await jobs.init();
  const store = new DynamoDbApiKeyStore(options);
  await store.init();
  return {
    store,
    jobs,
    dispose: async () => {
      await store.close();
      await jobs.close();
    },
  };
});
