import { Construct } from 'constructs';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { ASYNC_PREFIXES, type ResourceNames } from '../config/resource-names';
import type { AwsEnvironment } from '../stacks/aws-environment';

/**
 * Actions that IAM cannot scope to a resource; the only statements allowed `Resource: "*"`.
 * The policy tests hold every role to this list.
 */
export const UNSCOPABLE_ACTIONS = [
  'ecr:GetAuthorizationToken',
  'cloudwatch:PutMetricData',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeVpcs',
  'ec2:DescribeDhcpOptions',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
] as const;

const ECR_PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];

export interface IamRolesProps {
  readonly aws: AwsEnvironment;
  readonly names: ResourceNames;
  readonly endpointMode: 'realtime' | 'async';
  readonly repositoryArns: { readonly api: string; readonly web: string; readonly model: string };
  readonly modelBucketArn: string;
  readonly audioBucketArn: string;
  readonly jobsTableArn: string;
  /** Secrets Manager / SSM ARNs the API task receives as environment variables. */
  readonly apiSecretArns: readonly string[];
  /** Where SageMaker may create the model's network interfaces. */
  readonly modelSubnetArns: readonly string[];
  readonly modelSecurityGroupArn: string;
}

/** A Secrets Manager ARN may carry `:json-key:version-stage:version-id`; IAM wants the secret itself. */
export function secretResourceArn(valueFrom: string): string {
  return valueFrom.includes(':secretsmanager:') ? valueFrom.split(':').slice(0, 7).join(':') : valueFrom;
}

/**
 * Every role the platform uses, each allowed exactly what its workload does, on named resources.
 * Resource ARNs are built from names rather than taken from the resources, so the roles exist
 * before the endpoint and topics that need them (no reference cycles).
 */
export class IamRoles extends Construct {
  readonly webExecutionRole: IamRole;
  readonly apiExecutionRole: IamRole;
  readonly apiTaskRole: IamRole;
  readonly sagemakerRole: IamRole;
  /** SageMaker validates image and model access at CreateModel; the model waits for this policy. */
  readonly sagemakerPolicy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: IamRolesProps) {
    super(scope, id);
    const { aws, names } = props;
    const logGroupArn = (name: string) => aws.arn('logs', `log-group:${name}`);
    const endpointArn = aws.arn('sagemaker', `endpoint/${names.endpoint}`);

    // --- ECS task execution roles: what ECS itself needs to start a task (pull, log, inject secrets).
    this.webExecutionRole = this.role('web-execution', names.roles.webExecution, 'ecs-tasks.amazonaws.com', [
      { sid: 'EcrAuth', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
      { sid: 'PullWebImage', actions: ECR_PULL, resources: [props.repositoryArns.web] },
      {
        sid: 'WriteWebLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${logGroupArn(names.logGroups.web)}:*`],
      },
    ]).role;

    const secretArns = [...new Set(props.apiSecretArns.map(secretResourceArn))];
    const secretsManager = secretArns.filter((arn) => arn.includes(':secretsmanager:'));
    const parameters = secretArns.filter((arn) => arn.includes(':ssm:'));
    this.apiExecutionRole = this.role('api-execution', names.roles.apiExecution, 'ecs-tasks.amazonaws.com', [
      { sid: 'EcrAuth', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
      { sid: 'PullApiImage', actions: ECR_PULL, resources: [props.repositoryArns.api] },
      {
        sid: 'WriteApiLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${logGroupArn(names.logGroups.api)}:*`],
      },
      ...(secretsManager.length ? [{ sid: 'ReadApiSecrets', actions: ['secretsmanager:GetSecretValue'], resources: secretsManager }] : []),
      ...(parameters.length ? [{ sid: 'ReadApiParameters', actions: ['ssm:GetParameters'], resources: parameters }] : []),
    ]).role;

    // --- API task role: what the application calls at run time.
    this.apiTaskRole = this.role(
      'api-task',
      names.roles.apiTask,
      'ecs-tasks.amazonaws.com',
      [
        {
          sid: 'InvokeTranscriptionEndpoint',
          actions: [props.endpointMode === 'async' ? 'sagemaker:InvokeEndpointAsync' : 'sagemaker:InvokeEndpoint'],
          resources: [endpointArn],
        },
        {
          sid: 'BlobObjects',
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
          resources: [`${props.audioBucketArn}/*`],
        },
        { sid: 'BlobList', actions: ['s3:ListBucket'], resources: [props.audioBucketArn] },
        {
          sid: 'JobTable',
          actions: [
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:Query',
            'dynamodb:BatchGetItem',
            'dynamodb:BatchWriteItem',
            'dynamodb:ConditionCheckItem',
            // The job store checks the table at start-up (it creates it only on local stand-ins).
            'dynamodb:DescribeTable',
          ],
          resources: [props.jobsTableArn, `${props.jobsTableArn}/index/*`],
        },
      ],
      // Only ECS tasks of this account may assume the role (confused-deputy guard).
      [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [aws.accountId] }],
    ).role;

    // --- SageMaker execution role: pull the model image, read model.tar.gz, run in our VPC, log.
    const asyncStatements: DataAwsIamPolicyDocumentStatement[] =
      props.endpointMode === 'async'
        ? [
            {
              sid: 'ReadAsyncInput',
              actions: ['s3:GetObject'],
              resources: [`${props.audioBucketArn}/${ASYNC_PREFIXES.input}*`],
            },
            {
              sid: 'WriteAsyncResults',
              actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
              resources: [
                `${props.audioBucketArn}/${ASYNC_PREFIXES.output}*`,
                `${props.audioBucketArn}/${ASYNC_PREFIXES.failure}*`,
              ],
            },
            {
              sid: 'NotifyAsyncCompletion',
              actions: ['sns:Publish'],
              resources: [aws.arn('sns', names.topics.asyncSuccess), aws.arn('sns', names.topics.asyncError)],
            },
          ]
        : [];
    const sagemaker = this.role('sagemaker', names.roles.sagemaker, 'sagemaker.amazonaws.com', [
      { sid: 'EcrAuth', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
      { sid: 'PullModelImage', actions: ECR_PULL, resources: [props.repositoryArns.model] },
      { sid: 'ReadModelArtifact', actions: ['s3:GetObject'], resources: [`${props.modelBucketArn}/*`] },
      { sid: 'ListModelBucket', actions: ['s3:ListBucket'], resources: [props.modelBucketArn] },
      {
        sid: 'WriteEndpointLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [logGroupArn(names.logGroups.endpoint), `${logGroupArn(names.logGroups.endpoint)}:*`],
      },
      {
        sid: 'PublishInstanceMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: ['/aws/sagemaker/Endpoints'] }],
      },
      {
        sid: 'DescribeVpc',
        actions: [
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeVpcs',
          'ec2:DescribeDhcpOptions',
          'ec2:DescribeSubnets',
          'ec2:DescribeSecurityGroups',
        ],
        resources: ['*'],
      },
      {
        sid: 'CreateModelInterfaces',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [aws.arn('ec2', 'network-interface/*'), ...props.modelSubnetArns, props.modelSecurityGroupArn],
      },
      {
        sid: 'ManageModelInterfaces',
        actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
        resources: [aws.arn('ec2', 'network-interface/*')],
      },
      ...asyncStatements,
    ]);
    this.sagemakerRole = sagemaker.role;
    this.sagemakerPolicy = sagemaker.policy;
  }

  private role(
    id: string,
    name: string,
    service: string,
    statements: DataAwsIamPolicyDocumentStatement[],
    trustConditions?: DataAwsIamPolicyDocumentStatement['condition'],
  ): { role: IamRole; policy: IamRolePolicy } {
    const trust = new DataAwsIamPolicyDocument(this, `${id}-trust`, {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: [service] }],
          ...(trustConditions ? { condition: trustConditions } : {}),
        },
      ],
    });
    const role = new IamRole(this, id, { name, assumeRolePolicy: trust.json });
    const permissions = new DataAwsIamPolicyDocument(this, `${id}-permissions`, {
      statement: statements.map((statement) => ({ effect: 'Allow', ...statement })),
    });
    const policy = new IamRolePolicy(this, `${id}-policy`, { name: `${name}-permissions`, role: role.id, policy: permissions.json });
    return { role, policy };
  }
}
