import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import type { ServiceConfig } from '../config/stack-config';

export interface FargateServiceProps {
  readonly serviceName: string;
  readonly containerName: string;
  readonly image: string;
  readonly port: number;
  readonly config: ServiceConfig;
  readonly clusterId: string;
  readonly clusterName: string;
  readonly executionRoleArn: string;
  readonly taskRoleArn?: string;
  readonly environment: Readonly<Record<string, string>>;
  /** Variable name → Secrets Manager / SSM ARN. */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  readonly targetGroupArn: string;
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  readonly region: string;
  /** The listener must exist before ECS attaches the service to its target group. */
  readonly dependsOn: ITerraformDependable[];
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** The task's one container, as ECS's JSON container definition (sorted keys keep plans quiet). */
export function containerDefinition(props: FargateServiceProps): Record<string, unknown> {
  const { config } = props;
  const environment = Object.entries(props.environment)
    .map(([name, value]) => ({ name, value }))
    .sort(byName);
  const secrets = Object.entries(props.secrets ?? {})
    .map(([name, valueFrom]) => ({ name, valueFrom }))
    .sort(byName);
  // Empty lists are left out: ECS drops them and Terraform would show a diff on every plan.
  return {
    name: props.containerName,
    image: props.image,
    essential: true,
    portMappings: [{ containerPort: props.port, protocol: 'tcp' }],
    ...(environment.length ? { environment } : {}),
    ...(secrets.length ? { secrets } : {}),
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': props.logGroupName,
        'awslogs-region': props.region,
        'awslogs-stream-prefix': props.containerName,
        // A slow log pipeline must not block request handling.
        mode: 'non-blocking',
        'max-buffer-size': '25m',
      },
    },
    // Time between SIGTERM and SIGKILL: the app finishes in-flight work and releases job leases.
    stopTimeout: config.stopTimeoutSeconds,
    // An init process forwards SIGTERM to the app and reaps ffmpeg children.
    linuxParameters: { initProcessEnabled: true },
    readonlyRootFilesystem: config.readonlyRootFilesystem,
    ...(config.readonlyRootFilesystem ? { mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }] } : {}),
  };
}

/**
 * One Fargate service behind the ALB: task definition, log group with retention, a service in
 * private subnets without public IPs, deployment circuit breaker with rollback, and CPU target
 * tracking between minTasks and maxTasks.
 */
export class FargateService extends Construct {
  readonly service: EcsService;
  readonly taskDefinition: EcsTaskDefinition;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    const { config } = props;

    this.logGroup = new CloudwatchLogGroup(this, 'logs', { name: props.logGroupName, retentionInDays: props.logRetentionDays });

    this.taskDefinition = new EcsTaskDefinition(this, 'task', {
      family: props.serviceName,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(config.cpu),
      memory: String(config.memory),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      executionRoleArn: props.executionRoleArn,
      taskRoleArn: props.taskRoleArn,
      containerDefinitions: JSON.stringify([containerDefinition(props)]),
      // Task-local scratch for /tmp (uploads being decoded) when the root filesystem is read-only.
      volume: config.readonlyRootFilesystem ? [{ name: 'tmp' }] : undefined,
    });

    this.service = new EcsService(this, 'service', {
      name: props.serviceName,
      cluster: props.clusterId,
      taskDefinition: this.taskDefinition.arn,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      desiredCount: config.minTasks,
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriodSeconds: 60,
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      networkConfiguration: {
        subnets: props.subnetIds,
        securityGroups: [props.securityGroupId],
        assignPublicIp: false,
      },
      loadBalancer: [{ targetGroupArn: props.targetGroupArn, containerName: props.containerName, containerPort: props.port }],
      // Autoscaling owns the task count after the first deploy.
      lifecycle: { ignoreChanges: ['desired_count'] },
      dependsOn: [...props.dependsOn, this.logGroup],
    });

    const resourceId = `service/${props.clusterName}/${this.service.name}`;
    const target = new AppautoscalingTarget(this, 'scaling-target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId,
      minCapacity: config.minTasks,
      maxCapacity: config.maxTasks,
    });
    new AppautoscalingPolicy(this, 'cpu-scaling', {
      name: `${props.serviceName}-cpu-${config.targetCpuPercent}`,
      policyType: 'TargetTrackingScaling',
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        targetValue: config.targetCpuPercent,
        scaleOutCooldown: config.scaleOutCooldownSeconds,
        scaleInCooldown: config.scaleInCooldownSeconds,
      },
    });
  }
}
