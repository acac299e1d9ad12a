import { DataAwsEcrRepository } from '@cdktf/provider-aws/lib/data-aws-ecr-repository';
import { DataAwsS3Bucket } from '@cdktf/provider-aws/lib/data-aws-s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { exampleConfig, examplePlatform, synthPlatform } from '../testing/synth';

describe.each(['dev', 'prod'] as const)('PlatformStack (%s)', (env) => {
  const { json, tf } = examplePlatform(env);

  it('tags everything it creates', () => {
    expect(json).toHaveProviderWithProperties(AwsProvider, {
      region: 'us-east-1',
      default_tags: [{ tags: { Project: 'speech-platform', Environment: env, Stack: `speech-${env}-platform`, ManagedBy: 'cdktf' } }],
    });
  });

  it('finds the artifacts stack’s repositories and model bucket by name', () => {
    for (const image of ['api', 'web', 'model']) {
      expect(json).toHaveDataSourceWithProperties(DataAwsEcrRepository, { name: `speech-${env}/${image}` });
    }
    expect(json).toHaveDataSourceWithProperties(DataAwsS3Bucket, {
      bucket: `speech-${env}-models-\${data.aws_caller_identity.caller.account_id}`,
    });
  });

  it('outputs what an operator needs: URL, endpoint, repositories, buckets, table', () => {
    expect(Object.keys(tf.output).sort()).toEqual([
      'alb_dns_name',
      'api_repository_url',
      'app_url',
      'audio_bucket_name',
      'dashboard_name',
      'endpoint_mode',
      'endpoint_name',
      'jobs_table_name',
      'model_bucket_name',
      'model_repository_url',
      'web_repository_url',
    ]);
    expect(tf.output.app_url.value).toMatch(env === 'prod' ? /^https:\/\/\$\{aws_lb\./ : /^http:\/\/\$\{aws_lb\./);
  });

  it('keeps state locally unless TF_STATE_BUCKET is set, then in S3 with a lock file', () => {
    // No backend here means cdktf's default: a local state file beside cdktf.json.
    expect(tf.terraform.backend).toBeUndefined();
    const remote = synthPlatform(exampleConfig(env, (input) => ({ ...input, stateBackend: { bucket: 'acme-tf-state' } })));
    expect(remote.tf.terraform.backend).toEqual({
      s3: { bucket: 'acme-tf-state', key: `speech-platform/speech-${env}-platform.tfstate`, region: 'us-east-1', encrypt: true, use_lockfile: true },
    });
  });

  // The one snapshot: which resources the composed stack contains, so additions and removals show up in review.
  it('contains the expected inventory of resources', () => {
    const inventory = Object.fromEntries(Object.entries(tf.resource).map(([type, blocks]) => [type, Object.keys(blocks).length]));
    expect(inventory).toMatchSnapshot();
  });
});
