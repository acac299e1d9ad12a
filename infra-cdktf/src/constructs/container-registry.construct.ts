import { Construct } from 'constructs';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import type { StackConfig } from '../config/stack-config';

export const KEEP_LAST_IMAGES = 10;
export const UNTAGGED_EXPIRY_DAYS = 7;

export type ImageName = 'api' | 'web' | 'model';

export interface ContainerRegistryProps {
  readonly repositoryNames: Readonly<Record<ImageName, string>>;
  readonly config: StackConfig['registry'];
}

/** ECR lifecycle rules: untagged layers go after a week; of the rest, the newest ten stay. */
export function lifecyclePolicy(): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${UNTAGGED_EXPIRY_DAYS} days`,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: UNTAGGED_EXPIRY_DAYS },
        action: { type: 'expire' },
      },
      {
        // ECR requires the `any` rule to have the lowest priority (highest number).
        rulePriority: 2,
        description: `Keep the last ${KEEP_LAST_IMAGES} images`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: KEEP_LAST_IMAGES },
        action: { type: 'expire' },
      },
    ],
  });
}

/** One repository per image we build: the API, the web console and the SageMaker model container. */
export class ContainerRegistry extends Construct {
  readonly repositories: Readonly<Record<ImageName, EcrRepository>>;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const create = (image: ImageName) => {
      const repository = new EcrRepository(this, image, {
        name: props.repositoryNames[image],
        imageTagMutability: props.config.immutableTags ? 'IMMUTABLE' : 'MUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: 'AES256' }],
        forceDelete: props.config.forceDelete,
      });
      new EcrLifecyclePolicy(this, `${image}-lifecycle`, { repository: repository.name, policy: lifecyclePolicy() });
      return repository;
    };
    this.repositories = { api: create('api'), web: create('web'), model: create('model') };
  }
}
