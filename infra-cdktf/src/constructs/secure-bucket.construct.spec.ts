import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { exampleArtifacts, examplePlatform, policyStatements, resourceList } from '../testing/synth';

describe.each(['dev', 'prod'] as const)('SecureBucket (%s)', (env) => {
  const platform = examplePlatform(env);
  const artifacts = exampleArtifacts(env);

  it.each([
    ['audio', platform],
    ['model', artifacts],
  ] as const)('encrypts the %s bucket, blocks public access and disables ACLs', (_, { json }) => {
    expect(json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    });
    expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(json).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  it('denies every request to either bucket that does not use TLS', () => {
    for (const { tf } of [platform, artifacts]) {
      expect(policyStatements(tf).filter((statement) => statement.sid === 'DenyInsecureTransport')).toEqual([
        expect.objectContaining({
          effect: 'Deny',
          actions: ['s3:*'],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        }),
      ]);
    }
  });

  it('expires audio, results and async payloads after 7 days', () => {
    expect(platform.json).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: expect.arrayContaining([expect.objectContaining({ id: 'expire-objects', status: 'Enabled', expiration: [{ days: 7 }] })]),
    });
  });

  it('versions the model bucket and expires superseded model versions', () => {
    expect(artifacts.json).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
    expect(artifacts.json).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: expect.arrayContaining([
        expect.objectContaining({ id: 'expire-noncurrent-versions', noncurrent_version_expiration: [{ noncurrent_days: 90 }] }),
      ]),
    });
    expect(resourceList(artifacts.tf, 'aws_s3_bucket_lifecycle_configuration')[0].rule).not.toContainEqual(
      expect.objectContaining({ id: 'expire-objects' }),
    );
  });

  it(`${env === 'dev' ? 'empties' : 'keeps'} buckets on destroy`, () => {
    for (const { tf } of [platform, artifacts]) {
      for (const bucket of resourceList(tf, 'aws_s3_bucket')) expect(bucket.force_destroy).toBe(env === 'dev');
    }
  });
});
