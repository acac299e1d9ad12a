import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { exampleArtifacts, resourceList } from '../testing/synth';
import { lifecyclePolicy } from './container-registry.construct';

describe('lifecyclePolicy', () => {
  it('expires untagged images after 7 days, then keeps the last 10', () => {
    expect(JSON.parse(lifecyclePolicy()).rules).toEqual([
      expect.objectContaining({
        rulePriority: 1,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
        action: { type: 'expire' },
      }),
      expect.objectContaining({
        rulePriority: 2,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 },
        action: { type: 'expire' },
      }),
    ]);
  });
});

describe.each(['dev', 'prod'] as const)('ContainerRegistry (%s)', (env) => {
  const { json, tf } = exampleArtifacts(env);

  it.each(['api', 'web', 'model'])('creates the %s repository, scanned on push', (image) => {
    expect(json).toHaveResourceWithProperties(EcrRepository, {
      name: `speech-${env}/${image}`,
      image_scanning_configuration: { scan_on_push: true },
      image_tag_mutability: env === 'prod' ? 'IMMUTABLE' : 'MUTABLE',
      force_delete: env === 'dev',
    });
  });

  it('attaches the lifecycle policy to each repository', () => {
    const policies = resourceList(tf, 'aws_ecr_lifecycle_policy');
    expect(policies).toHaveLength(3);
    expect(json).toHaveResourceWithProperties(EcrLifecyclePolicy, { policy: lifecyclePolicy() });
  });
});
