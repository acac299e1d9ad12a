import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { EXAMPLE_DEPLOY_ENV, examplePlatform, policyStatements, type PolicyStatement, roleStatements } from '../testing/synth';
import { secretResourceArn } from './iam.construct';

const ACCOUNT = '${data.aws_caller_identity.caller.account_id}';
const PARTITION = '${data.aws_partition.partition.partition}';

/** Statement by Sid, with actions and resources only. */
function bySid(statements: PolicyStatement[]): Record<string, { actions: string[]; resources: string[] }> {
  return Object.fromEntries(statements.map(({ sid, actions, resources }) => [sid, { actions, resources }]));
}

describe('secretResourceArn', () => {
  it('strips a JSON-key suffix from a Secrets Manager ARN and leaves SSM ARNs alone', () => {
    const secret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:speech/webhook-AbCdEf';
    expect(secretResourceArn(`${secret}:signingKey::`)).toBe(secret);
    expect(secretResourceArn(secret)).toBe(secret);
    const parameter = 'arn:aws:ssm:us-east-1:123456789012:parameter/speech/webhook';
    expect(secretResourceArn(parameter)).toBe(parameter);
  });
});

describe.each(['dev', 'prod'] as const)('IamRoles (%s)', (env) => {
  const { json, tf } = examplePlatform(env);
  const endpointArn = `arn:${PARTITION}:sagemaker:us-east-1:${ACCOUNT}:endpoint/speech-${env}-asr`;
  const audioBucket = expect.stringMatching(/^\$\{aws_s3_bucket\.storage_audio_bucket_\w+\.arn\}$/);

  it('creates the execution, task and SageMaker roles with the right trust', () => {
    for (const [role, service] of [
      ['web-execution', 'ecs-tasks.amazonaws.com'],
      ['api-execution', 'ecs-tasks.amazonaws.com'],
      ['api-task', 'ecs-tasks.amazonaws.com'],
      ['sagemaker', 'sagemaker.amazonaws.com'],
    ]) {
      expect(json).toHaveResourceWithProperties(IamRole, { name: `speech-${env}-${role}` });
      const trust = policyStatements(tf).filter((statement) => statement.document.startsWith(`iam_${role}-trust`));
      expect(trust).toEqual([
        expect.objectContaining({ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: [service] }] }),
      ]);
      expect(trust[0]?.condition).toContainEqual({ test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] });
    }
  });

  it('lets the API task invoke only this endpoint, in the mode it runs', () => {
    expect(bySid(roleStatements(tf, 'api-task')).InvokeTranscriptionEndpoint).toEqual({
      actions: [env === 'prod' ? 'sagemaker:InvokeEndpoint' : 'sagemaker:InvokeEndpointAsync'],
      resources: [endpointArn],
    });
  });

  it('lets the API task use only its bucket and its table (with indexes)', () => {
    const statements = bySid(roleStatements(tf, 'api-task'));
    expect(statements.BlobObjects.resources).toEqual([expect.stringMatching(/storage_audio_bucket_\w+\.arn\}\/\*$/)]);
    expect(statements.BlobList.resources).toEqual([audioBucket]);
    expect(statements.JobTable.resources).toEqual([
      expect.stringMatching(/^\$\{aws_dynamodb_table\.storage_jobs_\w+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_dynamodb_table\.storage_jobs_\w+\.arn\}\/index\/\*$/),
    ]);
    expect(Object.keys(statements).sort()).toEqual([
      'BlobList',
      'BlobObjects',
      'DenyApiKeyItemUpdatesButLastUsed',
      'DenyApiKeyItemWrites',
      'InvokeTranscriptionEndpoint',
      'JobTable',
    ]);
  });

  it('lets each execution role pull only its own image and write only its own logs', () => {
    const web = bySid(roleStatements(tf, 'web-execution'));
    const api = bySid(roleStatements(tf, 'api-execution'));
    expect(web.PullWebImage.resources).toEqual(['${data.aws_ecr_repository.web-repository.arn}']);
    expect(api.PullApiImage.resources).toEqual(['${data.aws_ecr_repository.api-repository.arn}']);
    expect(web.WriteWebLogs.resources).toEqual([`arn:${PARTITION}:logs:us-east-1:${ACCOUNT}:log-group:/ecs/speech-${env}/web:*`]);
    expect(api.WriteApiLogs.resources).toEqual([`arn:${PARTITION}:logs:us-east-1:${ACCOUNT}:log-group:/ecs/speech-${env}/api:*`]);
    expect(api.ReadApiSecrets).toEqual(
      env === 'prod' ? { actions: ['secretsmanager:GetSecretValue'], resources: [EXAMPLE_DEPLOY_ENV.WEBHOOK_SECRET_ARN] } : undefined,
    );
    expect(web.ReadApiSecrets).toBeUndefined();
  });

  it('lets SageMaker pull the model image and read the model bucket', () => {
    const statements = bySid(roleStatements(tf, 'sagemaker'));
    expect(statements.PullModelImage.resources).toEqual(['${data.aws_ecr_repository.model-repository.arn}']);
    expect(statements.ReadModelArtifact).toEqual({
      actions: ['s3:GetObject'],
      resources: ['${data.aws_s3_bucket.model-bucket.arn}/*'],
    });
    expect(statements.CreateModelInterfaces.resources).toEqual(
      expect.arrayContaining([`arn:${PARTITION}:ec2:us-east-1:${ACCOUNT}:network-interface/*`]),
    );
  });

  if (env === 'dev') {
    it('lets SageMaker read async inputs, write results and failures, and publish to the two topics', () => {
      const statements = bySid(roleStatements(tf, 'sagemaker'));
      expect(statements.ReadAsyncInput.resources).toEqual([expect.stringMatching(/\.arn\}\/sagemaker-async\/input\/\*$/)]);
      expect(statements.WriteAsyncResults.resources).toEqual([
        expect.stringMatching(/\.arn\}\/sagemaker-async\/output\/\*$/),
        expect.stringMatching(/\.arn\}\/sagemaker-async\/failure\/\*$/),
      ]);
      expect(statements.NotifyAsyncCompletion).toEqual({
        actions: ['sns:Publish'],
        resources: [
          `arn:${PARTITION}:sns:us-east-1:${ACCOUNT}:speech-dev-asr-async-success`,
          `arn:${PARTITION}:sns:us-east-1:${ACCOUNT}:speech-dev-asr-async-error`,
        ],
      });
    });
  } else {
    it('gives a real-time endpoint no async bucket or topic access', () => {
      const sids = Object.keys(bySid(roleStatements(tf, 'sagemaker')));
      expect(sids).not.toContain('ReadAsyncInput');
      expect(sids).not.toContain('WriteAsyncResults');
      expect(sids).not.toContain('NotifyAsyncCompletion');
    });
  }
});
