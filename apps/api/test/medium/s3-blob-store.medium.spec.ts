import { randomUUID } from 'node:crypto';
import { S3BlobStore } from '../../src/storage/s3/s3-blob-store';
import { blobStoreContract } from '../contracts/blob-store.contract';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalServer, startS3rver } from './support/local-aws';

/** The same contract as the local directory, through the real AWS SDK against s3rver (S3's REST protocol). */
let s3: LocalServer;

beforeAll(async () => {
  s3 = await startS3rver();
});

afterAll(async () => s3?.stop());

blobStoreContract('S3 (s3rver, real AWS SDK)', async () => {
  const store = new S3BlobStore({
    bucket: `blobs-${randomUUID().slice(0, 8)}`,
    prefix: 'speech/',
    region: LOCAL_REGION,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
    createBucket: true,
  });
  await store.init();
  return { store, dispose: () => store.close() };
});
