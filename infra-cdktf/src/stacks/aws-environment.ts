import { S3Backend, type TerraformStack } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { StackConfig } from '../config/stack-config';

/** Account, partition and region as Terraform expressions, and an ARN builder over them. */
export interface AwsEnvironment {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  /** `arn:<partition>:<service>:<region>:<account>:<resource>`; pass `regional: false` for global services. */
  arn(service: string, resource: string, options?: { regional?: boolean; account?: boolean }): string;
}

/**
 * Provider with default tags, optional S3 remote state, and the caller's account. Account and
 * partition come from data sources, so nothing account-specific is written into the code.
 */
export function configureAwsStack(stack: TerraformStack, stackId: string, config: StackConfig): AwsEnvironment {
  new AwsProvider(stack, 'aws', {
    region: config.region,
    defaultTags: [
      {
        tags: {
          Project: 'speech-platform',
          Environment: config.environment,
          Stack: stackId,
          ManagedBy: 'cdktf',
          ...config.tags,
        },
      },
    ],
  });

  if (config.stateBackend) {
    const { bucket, keyPrefix, region } = config.stateBackend;
    new S3Backend(stack, { bucket, key: `${keyPrefix}/${stackId}.tfstate`, region: region ?? config.region, encrypt: true });
    // S3-native locking (Terraform ≥ 1.10) replaces the DynamoDB lock table; cdktf 0.21 has no typed option yet.
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
  }

  const identity = new DataAwsCallerIdentity(stack, 'caller');
  const partition = new DataAwsPartition(stack, 'partition');
  const region = config.region;
  return {
    accountId: identity.accountId,
    partition: partition.partition,
    region,
    arn: (service, resource, options = {}) =>
      `arn:${partition.partition}:${service}:${options.regional === false ? '' : region}:${
        options.account === false ? '' : identity.accountId
      }:${resource}`,
  };
}
