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
  /** The VPC of those subnets: interfaces SageMaker manages must be in it. */
  readonly modelVpcArn: string;
}

/** Prefix of API-key items in the jobs table (storage/dynamodb/dynamodb-api-key-store.ts). */
export const API_KEY_ITEM_PREFIX = 'apikey#';
/** The only attribute the API itself writes on an API-key item: when the key was last used. */
export const API_KEY_ATTRIBUTES_THE_API_WRITES = ['id', 'lastUsedAt'] as const;

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
    // Confused-deputy guards on every trust policy: the service may assume a role only on behalf of this account.
    const sameAccount = { test: 'StringEquals', variable: 'aws:SourceAccount', values: [aws.accountId] };
    // ... and, where the service documents aws:SourceArn for its roles (ECS task roles, SageMaker), only for its own
    // resources in this account and region. Execution roles keep the account condition only: ECS documents the
    // ARN condition for task roles, and a trust the agent cannot satisfy would stop every task from starting.
    const fromOwnResources = (service: string) => ({ test: 'ArnLike', variable: 'aws:SourceArn', values: [aws.arn(service, '*')] });

    // --- ECS task execution roles: what ECS itself needs to start a task (pull, log, inject secrets).
    this.webExecutionRole = this.role('web-execution', names.roles.webExecution, 'ecs-tasks.amazonaws.com', [sameAccount], [
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
    this.apiExecutionRole = this.role('api-execution', names.roles.apiExecution, 'ecs-tasks.amazonaws.com', [sameAccount], [
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
      [sameAccount, fromOwnResources('ecs')],
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
        ...apiKeyItemGuards(props.jobsTableArn),
      ],
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
    const inModelVpc = { test: 'ArnEquals', variable: 'ec2:Vpc', values: [props.modelVpcArn] };
    const sagemaker = this.role('sagemaker', names.roles.sagemaker, 'sagemaker.amazonaws.com', [sameAccount, fromOwnResources('sagemaker')], [
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
      // CreateNetworkInterface is authorized on the subnet, the security group and the new interface separately:
      // only the model's private subnets and security group, and an interface only in those subnets of our VPC.
      {
        sid: 'CreateModelInterfacesInModelSubnets',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [...props.modelSubnetArns, props.modelSecurityGroupArn],
      },
      {
        sid: 'CreateModelInterfaces',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [aws.arn('ec2', 'network-interface/*')],
        condition: [inModelVpc, { test: 'ArnEquals', variable: 'ec2:Subnet', values: [...props.modelSubnetArns] }],
      },
      {
        sid: 'ManageModelInterfaces',
        actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
        resources: [aws.arn('ec2', 'network-interface/*')],
        condition: [inModelVpc],
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
    trustConditions: NonNullable<DataAwsIamPolicyDocumentStatement['condition']>,
    statements: DataAwsIamPolicyDocumentStatement[],
  ): { role: IamRole; policy: IamRolePolicy } {
    const trust = new DataAwsIamPolicyDocument(this, `${id}-trust`, {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: [service] }],
          condition: trustConditions,
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

/**
 * API keys live in the jobs table as `apikey#<id>` items, created and revoked only by operators (`npm run apikey`).
 * A compromised API task must not mint, restore or delete keys, so its role is denied every write to those items
 * except the one the API does: `SET lastUsedAt` (auth/api-key-verifier.ts, at most once a minute per key).
 */
function apiKeyItemGuards(jobsTableArn: string): DataAwsIamPolicyDocumentStatement[] {
  const onApiKeyItems = { test: 'ForAnyValue:StringLike', variable: 'dynamodb:LeadingKeys', values: [`${API_KEY_ITEM_PREFIX}*`] };
  return [
    {
      sid: 'DenyApiKeyItemWrites',
      effect: 'Deny',
      actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
      resources: [jobsTableArn],
      condition: [onApiKeyItems],
    },
    {
      sid: 'DenyApiKeyItemUpdatesButLastUsed',
      effect: 'Deny',
      actions: ['dynamodb:UpdateItem'],
      resources: [jobsTableArn],
      condition: [onApiKeyItems, { test: 'ForAnyValue:StringNotEquals', variable: 'dynamodb:Attributes', values: [...API_KEY_ATTRIBUTES_THE_API_WRITES] }],
    },
  ];
}
