import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { DataAwsEcrRepository } from '@cdktf/provider-aws/lib/data-aws-ecr-repository';
import { DataAwsS3Bucket } from '@cdktf/provider-aws/lib/data-aws-s3-bucket';
import { resourceNames } from '../config/resource-names';
import type { StackConfig } from '../config/stack-config';
import { EcsServices } from '../constructs/ecs-services.construct';
import { IamRoles } from '../constructs/iam.construct';
import { LoadBalancer } from '../constructs/load-balancer.construct';
import { ModelEndpoint } from '../constructs/model-endpoint.construct';
import { Network } from '../constructs/network.construct';
import { Observability } from '../constructs/observability.construct';
import { Storage } from '../constructs/storage.construct';
import { configureAwsStack } from './aws-environment';

/**
 * The running platform: ALB → web + API on Fargate → SageMaker endpoint, with S3, DynamoDB,
 * IAM and CloudWatch. Finds the artifacts stack's repositories and model bucket by name, so a plan
 * fails early and clearly when that stack has not been deployed.
 */
export class PlatformStack extends TerraformStack {
  constructor(scope: Construct, id: string, config: StackConfig) {
    super(scope, id);
    const aws = configureAwsStack(this, id, config);
    const names = resourceNames(config.prefix, aws.accountId);

    const repository = (image: 'api' | 'web' | 'model') =>
      new DataAwsEcrRepository(this, `${image}-repository`, { name: names.repositories[image] });
    const repositories = { api: repository('api'), web: repository('web'), model: repository('model') };
    const modelBucket = new DataAwsS3Bucket(this, 'model-bucket', { bucket: names.modelBucket });
    const image = (image: 'api' | 'web' | 'model') => `${repositories[image].repositoryUrl}:${config.images.tag}`;

    const https = Boolean(config.loadBalancer.certificateArn);
    const network = new Network(this, 'network', { prefix: config.prefix, region: config.region, config: config.network, https });
    const storage = new Storage(this, 'storage', {
      audioBucketName: names.audioBucket,
      jobsTableName: names.jobsTable,
      config: config.storage,
    });
    const audioBucket = storage.audioBucket.bucket;

    const iam = new IamRoles(this, 'iam', {
      aws,
      names,
      endpointMode: config.endpoint.mode,
      repositoryArns: { api: repositories.api.arn, web: repositories.web.arn, model: repositories.model.arn },
      modelBucketArn: modelBucket.arn,
      audioBucketArn: audioBucket.arn,
      jobsTableArn: storage.jobsTable.arn,
      apiSecretArns: Object.values(config.api.secrets),
      modelSubnetArns: network.privateSubnets.map((subnet) => subnet.arn),
      modelSecurityGroupArn: network.securityGroups.model.arn,
      modelVpcArn: network.vpc.arn,
    });

    const loadBalancer = new LoadBalancer(this, 'load-balancer', {
      names,
      vpcId: network.vpc.id,
      publicSubnetIds: network.publicSubnets.map((subnet) => subnet.id),
      securityGroupId: network.securityGroups.alb.id,
      config: config.loadBalancer,
      healthCheckPaths: { web: config.web.healthCheckPath, api: config.api.healthCheckPath },
      // Drain for as long as the task may take to stop, so a scale-in never cuts a sync request.
      apiDeregistrationDelaySeconds: config.api.stopTimeoutSeconds,
    });

    const privateSubnetIds = network.privateSubnets.map((subnet) => subnet.id);
    const services = new EcsServices(this, 'services', {
      names,
      config,
      images: { web: image('web'), api: image('api') },
      roles: {
        webExecutionArn: iam.webExecutionRole.arn,
        apiExecutionArn: iam.apiExecutionRole.arn,
        apiTaskArn: iam.apiTaskRole.arn,
      },
      privateSubnetIds,
      securityGroupIds: { web: network.securityGroups.web.id, api: network.securityGroups.api.id },
      targetGroupArns: { web: loadBalancer.webTargetGroup.arn, api: loadBalancer.apiTargetGroup.arn },
      audioBucketName: audioBucket.bucket,
      jobsTableName: storage.jobsTable.name,
      dependsOn: [loadBalancer.listener],
    });

    const endpoint = new ModelEndpoint(this, 'model-endpoint', {
      names,
      config: config.endpoint,
      executionRoleArn: iam.sagemakerRole.arn,
      image: image('model'),
      modelDataUrl: `s3://${modelBucket.bucket}/${config.endpoint.modelDataKey}`,
      privateSubnetIds,
      securityGroupId: network.securityGroups.model.id,
      asyncBucketName: audioBucket.bucket,
      logRetentionDays: config.observability.logRetentionDays,
      dependsOn: [iam.sagemakerPolicy],
    });

    new Observability(this, 'observability', {
      names: { dashboard: names.dashboard, alarmTopic: names.topics.alarms, prefix: config.prefix },
      region: config.region,
      config: config.observability,
      endpointMode: config.endpoint.mode,
      endpointName: endpoint.endpoint.name,
      clusterName: services.cluster.name,
      serviceNames: { web: services.web.service.name, api: services.api.service.name },
      loadBalancerArnSuffix: loadBalancer.alb.arnSuffix,
      targetGroupArnSuffixes: { web: loadBalancer.webTargetGroup.arnSuffix, api: loadBalancer.apiTargetGroup.arnSuffix },
    });

    const scheme = https ? 'https' : 'http';
    new TerraformOutput(this, 'alb_dns_name', { value: loadBalancer.alb.dnsName });
    new TerraformOutput(this, 'app_url', { value: `${scheme}://${loadBalancer.alb.dnsName}` });
    new TerraformOutput(this, 'endpoint_name', { value: endpoint.endpoint.name });
    new TerraformOutput(this, 'endpoint_mode', { value: config.endpoint.mode });
    for (const [name, repo] of Object.entries(repositories)) {
      new TerraformOutput(this, `${name}_repository_url`, { value: repo.repositoryUrl });
    }
    new TerraformOutput(this, 'audio_bucket_name', { value: audioBucket.bucket });
    new TerraformOutput(this, 'model_bucket_name', { value: modelBucket.bucket });
    new TerraformOutput(this, 'jobs_table_name', { value: storage.jobsTable.name });
    new TerraformOutput(this, 'dashboard_name', { value: names.dashboard });
  }
}
