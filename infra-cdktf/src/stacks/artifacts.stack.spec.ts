import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { exampleArtifacts } from '../testing/synth';

describe.each(['dev', 'prod'] as const)('ArtifactsStack (%s)', (env) => {
  const { json, tf } = exampleArtifacts(env);

  it('holds only the repositories and the model bucket', () => {
    expect(Object.keys(tf.resource).sort()).toEqual([
      'aws_ecr_lifecycle_policy',
      'aws_ecr_repository',
      'aws_s3_bucket',
      'aws_s3_bucket_lifecycle_configuration',
      'aws_s3_bucket_ownership_controls',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_versioning',
    ]);
    expect(json).toHaveResourceWithProperties(S3Bucket, {
      bucket: `speech-${env}-models-\${data.aws_caller_identity.caller.account_id}`,
    });
  });

  it('outputs the push targets and where to upload the model', () => {
    expect(Object.keys(tf.output).sort()).toEqual([
      'api_repository_url',
      'model_bucket_name',
      'model_data_url',
      'model_repository_url',
      'web_repository_url',
    ]);
    expect(tf.output.model_data_url.value).toMatch(/^s3:\/\/\$\{aws_s3_bucket\.[^}]+\.bucket\}\/model\.tar\.gz$/);
  });
});
