import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { ASYNC_PREFIXES, CONTAINER_PORTS, type ResourceNames } from '../config/resource-names';
import type { StackConfig } from '../config/stack-config';
import { FargateService } from './fargate-service.construct';

export interface EcsServicesProps {
  readonly names: ResourceNames;
  readonly config: StackConfig;
  readonly images: { readonly web: string; readonly api: string };
  readonly roles: { readonly webExecutionArn: string; readonly apiExecutionArn: string; readonly apiTaskArn: string };
  readonly privateSubnetIds: string[];
  readonly securityGroupIds: { readonly web: string; readonly api: string };
  readonly targetGroupArns: { readonly web: string; readonly api: string };
  readonly audioBucketName: string;
  readonly jobsTableName: string;
  readonly dependsOn: ITerraformDependable[];
}

/**
 * Seconds kept back from the task's stopTimeout (SIGTERM → SIGKILL) after the API's drain, for handing jobs back,
 * closing the stores and stopping the engine. The API's own clean-up waits are bounded well inside it.
 */
export const SHUTDOWN_CLEANUP_MARGIN_SECONDS = 20;

/** How long the API lets in-flight requests finish after SIGTERM: the stop timeout less the clean-up margin. */
export function shutdownGraceSeconds(stopTimeoutSeconds: number): number {
  return Math.max(1, stopTimeoutSeconds - SHUTDOWN_CLEANUP_MARGIN_SECONDS);
}

/** The API's environment on AWS: SageMaker engine, DynamoDB jobs, S3 blobs. */
export function apiEnvironment(props: Pick<EcsServicesProps, 'names' | 'config' | 'audioBucketName' | 'jobsTableName'>) {
  const { config, names } = props;
  return {
    ...config.api.environment,
    NODE_ENV: 'production',
    // The API binds 127.0.0.1 unless told otherwise; the ALB reaches the task on its VPC address.
    HOST: '0.0.0.0',
    PORT: String(CONTAINER_PORTS.api),
    AWS_REGION: config.region,
    ENGINE: 'sagemaker',
    SAGEMAKER_ENDPOINT_NAME: names.endpoint,
    SAGEMAKER_MODE: config.endpoint.mode,
    SAGEMAKER_ASYNC_BUCKET: props.audioBucketName,
    // The engine writes inputs under <prefix>/input/, which the IAM policy scopes to ASYNC_PREFIXES.input.
    SAGEMAKER_ASYNC_PREFIX: ASYNC_PREFIXES.input.replace(/\/input\/$/, ''),
    MAX_FILE_SIZE: String(config.api.maxFileSizeBytes),
    JOB_STORE: 'dynamodb',
    JOBS_TABLE: props.jobsTableName,
    BLOB_STORE: 's3',
    BLOB_BUCKET: props.audioBucketName,
    // On the task's writable /tmp volume (the root filesystem is read-only).
    TMP_DIR: '/tmp/speech-platform',
    SHUTDOWN_GRACE_SECONDS: String(shutdownGraceSeconds(config.api.stopTimeoutSeconds)),
    // The ALB is the one proxy in front: its X-Forwarded-For entry is the client address the rate limits count.
    TRUST_PROXY: '1',
    // Outlive the ALB's idle timeout, so the ALB (not the API) closes idle connections: no 502 on a reused socket.
    KEEP_ALIVE_TIMEOUT_SECONDS: String(config.loadBalancer.idleTimeoutSeconds + 5),
  };
}

/** ECS cluster with Container Insights and the two Fargate services: console (web) and API. */
export class EcsServices extends Construct {
  readonly cluster: EcsCluster;
  readonly web: FargateService;
  readonly api: FargateService;

  constructor(scope: Construct, id: string, props: EcsServicesProps) {
    super(scope, id);
    const { config, names } = props;

    this.cluster = new EcsCluster(this, 'cluster', {
      name: names.cluster,
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });

    const common = {
      clusterId: this.cluster.id,
      clusterName: this.cluster.name,
      subnetIds: props.privateSubnetIds,
      logRetentionDays: config.observability.logRetentionDays,
      region: config.region,
      dependsOn: props.dependsOn,
    };

    this.web = new FargateService(this, 'web', {
      ...common,
      serviceName: names.services.web,
      containerName: 'web',
      image: props.images.web,
      port: CONTAINER_PORTS.web,
      config: config.web,
      executionRoleArn: props.roles.webExecutionArn,
      environment: config.web.environment,
      securityGroupId: props.securityGroupIds.web,
      targetGroupArn: props.targetGroupArns.web,
      logGroupName: names.logGroups.web,
    });

    this.api = new FargateService(this, 'api', {
      ...common,
      serviceName: names.services.api,
      containerName: 'api',
      image: props.images.api,
      port: CONTAINER_PORTS.api,
      config: config.api,
      executionRoleArn: props.roles.apiExecutionArn,
      taskRoleArn: props.roles.apiTaskArn,
      environment: apiEnvironment(props),
      secrets: config.api.secrets,
      securityGroupId: props.securityGroupIds.api,
      targetGroupArn: props.targetGroupArns.api,
      logGroupName: names.logGroups.api,
    });
  }
}
