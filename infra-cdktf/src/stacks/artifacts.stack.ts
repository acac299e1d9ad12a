import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { resourceNames } from '../config/resource-names';
import type { StackConfig } from '../config/stack-config';
import { ContainerRegistry } from '../constructs/container-registry.construct';
import { SecureBucket } from '../constructs/secure-bucket.construct';
import { configureAwsStack } from './aws-environment';

/**
 * What must exist before the platform can start: the ECR repositories (images are pushed between
 * the two deploys) and the model bucket (model.tar.gz is uploaded before the endpoint is created).
 * It also outlives `cdktf destroy` of the platform, so images and the model survive a teardown.
 */
export class ArtifactsStack extends TerraformStack {
  readonly registry: ContainerRegistry;
  readonly modelBucket: SecureBucket;

  constructor(scope: Construct, id: string, config: StackConfig) {
    super(scope, id);
    const aws = configureAwsStack(this, id, config);
    const names = resourceNames(config.prefix, aws.accountId);

    this.registry = new ContainerRegistry(this, 'registry', { repositoryNames: names.repositories, config: config.registry });
    this.modelBucket = new SecureBucket(this, 'model-bucket', {
      bucketName: names.modelBucket,
      forceDestroy: config.storage.forceDestroy,
      versioning: { noncurrentVersionExpirationDays: config.storage.modelNoncurrentVersionDays },
    });

    for (const [image, repository] of Object.entries(this.registry.repositories)) {
      new TerraformOutput(this, `${image}_repository_url`, {
        value: repository.repositoryUrl,
        description: `docker push target for the ${image} image`,
      });
    }
    new TerraformOutput(this, 'model_bucket_name', { value: this.modelBucket.bucket.bucket });
    new TerraformOutput(this, 'model_data_url', {
      value: `s3://${this.modelBucket.bucket.bucket}/${config.endpoint.modelDataKey}`,
      description: 'Upload the packaged model here before deploying the platform stack',
    });
  }
}
