import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('jobs configuration', () => {
  it('defaults to SQLite and a local directory under .data, one worker, 5-minute windows, 4 h, 7 days', () => {
    const config = loadConfig({});
    expect(config.storage).toEqual({
      jobStore: { kind: 'sqlite', sqlite: { path: resolve('.data/jobs.sqlite') } },
      blobStore: { kind: 'local', local: { dir: resolve('.data/blobs') } },
    });
    expect(config.jobs).toMatchObject({
      workers: 1,
      maxAttempts: 3,
      leaseSeconds: 30,
      windowSeconds: 300,
      maxAudioSeconds: 14_400,
      deleteAudioOnComplete: true,
      resultTtlHours: 168,
    });
    expect(config.webhooks).toMatchObject({ secret: undefined, allowHosts: [], denyHosts: [], maxAttempts: 6 });
  });

  it('requires the table, bucket and region only for the AWS adapters', () => {
    try {
      loadConfig({ JOB_STORE: 'dynamodb', BLOB_STORE: 's3' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'JOBS_TABLE: is required when JOB_STORE=dynamodb',
        'AWS_REGION: is required when JOB_STORE=dynamodb',
        'BLOB_BUCKET: is required when BLOB_STORE=s3',
        'AWS_REGION: is required when BLOB_STORE=s3',
      ]);
    }
    expect(loadConfig({ JOBS_TABLE: 'ignored', BLOB_BUCKET: 'ignored' }).storage.jobStore.kind).toBe('sqlite');
  });

  it('builds the AWS sections with local endpoint overrides (path-style S3 for stand-ins)', () => {
    const config = loadConfig({
      JOB_STORE: 'dynamodb',
      JOBS_TABLE: 'jobs',
      BLOB_STORE: 's3',
      BLOB_BUCKET: 'audio',
      BLOB_PREFIX: 'jobs/',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4567',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4568',
    });
    expect(config.storage).toEqual({
      jobStore: { kind: 'dynamodb', dynamodb: { table: 'jobs', region: 'eu-west-1', endpoint: 'http://127.0.0.1:4567' } },
      blobStore: {
        kind: 's3',
        s3: { bucket: 'audio', prefix: 'jobs/', region: 'eu-west-1', endpoint: 'http://127.0.0.1:4568', forcePathStyle: true },
      },
    });
    const onAws = loadConfig({ BLOB_STORE: 's3', BLOB_BUCKET: 'audio', AWS_REGION: 'eu-west-1' });
    expect(onAws.storage.blobStore).toEqual({ kind: 's3', s3: { bucket: 'audio', prefix: '', region: 'eu-west-1', forcePathStyle: false } });
  });

  it('reads the worker, retention and webhook keys', () => {
    const config = loadConfig({
      JOB_WORKERS: '0',
      JOB_MAX_ATTEMPTS: '5',
      JOB_LEASE_SECONDS: '2.5',
      WINDOW_SECONDS: '600',
      DELETE_AUDIO_ON_COMPLETE: 'false',
      RESULT_TTL_HOURS: '24',
      WEBHOOK_SECRET: 'sixteen-chars-at-least',
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1, Hooks.Internal',
      WEBHOOK_DENY_HOSTS: '203.0.113.0/24',
      MAX_JOB_AUDIO_SECONDS: '7200',
    });
    expect(config.jobs).toMatchObject({ workers: 0, maxAttempts: 5, leaseSeconds: 2.5, windowSeconds: 600, deleteAudioOnComplete: false, resultTtlHours: 24, maxAudioSeconds: 7200 });
    expect(config.webhooks).toMatchObject({ secret: 'sixteen-chars-at-least', allowHosts: ['127.0.0.1', 'hooks.internal'], denyHosts: ['203.0.113.0/24'] });
    expect(() => loadConfig({ WEBHOOK_SECRET: 'short' })).toThrow(/WEBHOOK_SECRET/);
    expect(() => loadConfig({ JOB_WORKERS: '-1' })).toThrow(/JOB_WORKERS/);
  });
});
