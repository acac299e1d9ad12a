import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { JOBS_TABLE_SCHEMA } from '../config/resource-names';
import { examplePlatform } from '../testing/synth';

describe.each(['dev', 'prod'] as const)('Storage (%s)', (env) => {
  const { json } = examplePlatform(env);

  it('names the audio bucket after the environment and account', () => {
    expect(json).toHaveResourceWithProperties(S3Bucket, {
      bucket: `speech-${env}-audio-\${data.aws_caller_identity.caller.account_id}`,
    });
  });

  it('keeps jobs in an on-demand table keyed by id, with TTL, PITR and encryption', () => {
    expect(json).toHaveResourceWithProperties(DynamodbTable, {
      name: `speech-${env}-jobs`,
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'id',
      ttl: { attribute_name: 'expiresAt', enabled: true },
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: env === 'prod',
    });
  });

  it('indexes jobs by owner and by status, newest by createdAt', () => {
    expect(json).toHaveResourceWithProperties(DynamodbTable, {
      global_secondary_index: [
        { name: 'ownerId-createdAt-index', hash_key: 'ownerId', range_key: 'createdAt', projection_type: 'ALL' },
        { name: 'jobStatus-createdAt-index', hash_key: 'jobStatus', range_key: 'createdAt', projection_type: 'ALL' },
      ],
      attribute: expect.arrayContaining([
        { name: 'id', type: 'S' },
        { name: 'ownerId', type: 'S' },
        { name: 'jobStatus', type: 'S' },
        { name: 'createdAt', type: 'S' },
      ]),
    });
    expect(JOBS_TABLE_SCHEMA.indexes.byOwner.name).toBe('ownerId-createdAt-index');
  });
});
