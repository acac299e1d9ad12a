import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EXAMPLE_DEPLOY_ENV, containerDefinitions, exampleConfig, examplePlatform, resourceNamed } from '../testing/synth';
import { resourceNames } from '../config/resource-names';
import { apiEnvironment, SHUTDOWN_CLEANUP_MARGIN_SECONDS, shutdownGraceSeconds } from './ecs-services.construct';

/** Environment of a container definition as a plain object. */
function environmentOf(container: { environment?: { name: string; value: string }[] }): Record<string, string> {
  return Object.fromEntries((container.environment ?? []).map(({ name, value }) => [name, value]));
}

const audioBucketName = expect.stringMatching(/^\$\{aws_s3_bucket\.storage_audio_bucket_\w+\.bucket\}$/);
const jobsTableName = expect.stringMatching(/^\$\{aws_dynamodb_table\.storage_jobs_\w+\.name\}$/);

describe.each(['dev', 'prod'] as const)('EcsServices (%s)', (env) => {
  const { json, tf } = examplePlatform(env);
  const [api] = containerDefinitions(resourceNamed(tf, 'aws_ecs_task_definition', 'services_api'));
  const [web] = containerDefinitions(resourceNamed(tf, 'aws_ecs_task_definition', 'services_web'));

  it('creates a cluster with Container Insights', () => {
    expect(json).toHaveResourceWithProperties(EcsCluster, {
      name: `speech-${env}`,
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
  });

  it('configures the API for SageMaker, DynamoDB and S3 through the variables it reads', () => {
    expect(environmentOf(api)).toEqual({
      ...(env === 'prod' ? { ENGINE_CONCURRENCY: '2' } : {}),
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: '8080',
      AWS_REGION: 'us-east-1',
      ENGINE: 'sagemaker',
      SAGEMAKER_ENDPOINT_NAME: `speech-${env}-asr`,
      SAGEMAKER_MODE: env === 'prod' ? 'realtime' : 'async',
      SAGEMAKER_ASYNC_BUCKET: audioBucketName,
      SAGEMAKER_ASYNC_PREFIX: 'sagemaker-async',
      MAX_FILE_SIZE: '104857600',
      JOB_STORE: 'dynamodb',
      JOBS_TABLE: jobsTableName,
      BLOB_STORE: 's3',
      BLOB_BUCKET: audioBucketName,
      TMP_DIR: '/tmp/speech-platform',
      SHUTDOWN_GRACE_SECONDS: '100',
      TRUST_PROXY: '1',
      KEEP_ALIVE_TIMEOUT_SECONDS: '605',
    });
  });

  it('trusts the ALB as one proxy hop and keeps connections open longer than the ALB does', () => {
    expect(environmentOf(api)['TRUST_PROXY']).toBe('1');
    const longer = exampleConfig(env, (input) => ({ ...input, loadBalancer: { ...input.loadBalancer, idleTimeoutSeconds: 900 } }));
    const names = resourceNames(`speech-${env}`, '123456789012');
    expect(apiEnvironment({ config: longer, names, audioBucketName: 'b', jobsTableName: 't' }).KEEP_ALIVE_TIMEOUT_SECONDS).toBe('905');
  });

  it('derives the API drain from its stop timeout, so SIGKILL never cuts the clean-up short', () => {
    expect(api.stopTimeout).toBe(120);
    expect(Number(environmentOf(api)['SHUTDOWN_GRACE_SECONDS'])).toBe(120 - SHUTDOWN_CLEANUP_MARGIN_SECONDS);
    const shorter = exampleConfig(env, (input) => ({ ...input, api: { ...input.api, stopTimeoutSeconds: 60 } }));
    const names = resourceNames(`speech-${env}`, '123456789012');
    expect(apiEnvironment({ config: shorter, names, audioBucketName: 'b', jobsTableName: 't' }).SHUTDOWN_GRACE_SECONDS).toBe('40');
    expect(shutdownGraceSeconds(2)).toBe(1);
  });

  it('passes secrets by ARN, never by value', () => {
    expect(api.secrets).toEqual(
      env === 'prod' ? [{ name: 'WEBHOOK_SECRET', valueFrom: EXAMPLE_DEPLOY_ENV.WEBHOOK_SECRET_ARN }] : undefined,
    );
    expect(web.secrets).toBeUndefined();
  });

  it('gives only the API a task role; the console makes no AWS calls', () => {
    expect(resourceNamed(tf, 'aws_ecs_task_definition', 'services_api').task_role_arn).toMatch(/iam_api-task/);
    expect(resourceNamed(tf, 'aws_ecs_task_definition', 'services_web').task_role_arn).toBeUndefined();
  });
});
