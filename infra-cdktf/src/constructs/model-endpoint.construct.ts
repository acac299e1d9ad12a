import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SagemakerEndpoint } from '@cdktf/provider-aws/lib/sagemaker-endpoint';
import {
  SagemakerEndpointConfiguration,
  type SagemakerEndpointConfigurationAsyncInferenceConfig,
} from '@cdktf/provider-aws/lib/sagemaker-endpoint-configuration';
import { SagemakerModel } from '@cdktf/provider-aws/lib/sagemaker-model';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { ASYNC_PREFIXES, type ResourceNames, VARIANT_NAME } from '../config/resource-names';
import type { EndpointConfig } from '../config/stack-config';

export interface ModelEndpointProps {
  readonly names: ResourceNames;
  readonly config: EndpointConfig;
  readonly executionRoleArn: string;
  /** Our BYO inference image in ECR (`serve`, /ping, /invocations on 8080). */
  readonly image: string;
  /** `s3://<model bucket>/model.tar.gz`, unpacked by SageMaker into /opt/ml/model. */
  readonly modelDataUrl: string;
  readonly privateSubnetIds: string[];
  readonly securityGroupId: string;
  /** Bucket holding async inputs, outputs and failures (under ASYNC_PREFIXES). */
  readonly asyncBucketName: string;
  readonly logRetentionDays: number;
  /** The execution role's policy: CreateModel checks image and artifact access. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * The transcription model on SageMaker: model → endpoint configuration → endpoint, plus autoscaling.
 *
 * - realtime: `minInstances`–`maxInstances` instances, target tracking on invocations per instance.
 * - async: requests and results go through S3, completion is announced on two SNS topics, and the
 *   variant scales to zero. Target tracking on backlog per instance cannot leave zero (there is no
 *   per-instance value without instances), so a step policy driven by `HasBacklogWithoutCapacity`
 *   adds the first instance.
 */
export class ModelEndpoint extends Construct {
  readonly model: SagemakerModel;
  readonly endpointConfiguration: SagemakerEndpointConfiguration;
  readonly endpoint: SagemakerEndpoint;
  readonly successTopic?: SnsTopic;
  readonly errorTopic?: SnsTopic;
  readonly scalingTarget: AppautoscalingTarget;

  constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    const { config, names } = props;
    const isAsync = config.mode === 'async';

    // SageMaker creates this group on first start; owning it gives it a retention period.
    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: names.logGroups.endpoint,
      retentionInDays: props.logRetentionDays,
    });

    this.model = new SagemakerModel(this, 'model', {
      // No fixed name: a new image or artifact makes a new model, created before the old one goes.
      executionRoleArn: props.executionRoleArn,
      primaryContainer: {
        image: props.image,
        modelDataUrl: props.modelDataUrl,
        environment: Object.keys(config.environment).length ? config.environment : undefined,
      },
      // The container needs nothing from the network: the model arrives in /opt/ml/model.
      enableNetworkIsolation: true,
      vpcConfig: { subnets: props.privateSubnetIds, securityGroupIds: [props.securityGroupId] },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: props.dependsOn,
    });

    let asyncInferenceConfig: SagemakerEndpointConfigurationAsyncInferenceConfig | undefined;
    if (isAsync) {
      this.successTopic = new SnsTopic(this, 'async-success', { name: names.topics.asyncSuccess });
      this.errorTopic = new SnsTopic(this, 'async-error', { name: names.topics.asyncError });
      asyncInferenceConfig = {
        clientConfig: { maxConcurrentInvocationsPerInstance: config.maxConcurrentInvocationsPerInstance },
        outputConfig: {
          s3OutputPath: `s3://${props.asyncBucketName}/${ASYNC_PREFIXES.output}`,
          s3FailurePath: `s3://${props.asyncBucketName}/${ASYNC_PREFIXES.failure}`,
          notificationConfig: { successTopic: this.successTopic.arn, errorTopic: this.errorTopic.arn },
        },
      };
    }

    this.endpointConfiguration = new SagemakerEndpointConfiguration(this, 'config', {
      namePrefix: `${names.endpoint}-`,
      productionVariants: [
        {
          variantName: VARIANT_NAME,
          modelName: this.model.name,
          instanceType: config.instanceType,
          // An endpoint starts with at least one instance; async scales in to zero once idle.
          initialInstanceCount: Math.max(1, config.minInstances),
          containerStartupHealthCheckTimeoutInSeconds: config.containerStartupTimeoutSeconds,
        },
      ],
      asyncInferenceConfig,
      lifecycle: { createBeforeDestroy: true },
    });

    this.endpoint = new SagemakerEndpoint(this, 'endpoint', {
      name: names.endpoint,
      endpointConfigName: this.endpointConfiguration.name,
      dependsOn: [logGroup],
    });

    const resourceId = `endpoint/${this.endpoint.name}/variant/${VARIANT_NAME}`;
    this.scalingTarget = new AppautoscalingTarget(this, 'scaling-target', {
      serviceNamespace: 'sagemaker',
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      resourceId,
      minCapacity: config.minInstances,
      maxCapacity: config.maxInstances,
    });
    const scaling = {
      serviceNamespace: this.scalingTarget.serviceNamespace,
      scalableDimension: this.scalingTarget.scalableDimension,
      resourceId: this.scalingTarget.resourceId,
    };
    const cooldowns = { scaleInCooldown: config.scaleInCooldownSeconds, scaleOutCooldown: config.scaleOutCooldownSeconds };

    if (!isAsync) {
      new AppautoscalingPolicy(this, 'invocations-scaling', {
        ...scaling,
        name: `${names.endpoint}-invocations-per-instance`,
        policyType: 'TargetTrackingScaling',
        targetTrackingScalingPolicyConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
          targetValue: config.targetInvocationsPerInstance,
          ...cooldowns,
        },
      });
      return;
    }

    new AppautoscalingPolicy(this, 'backlog-scaling', {
      ...scaling,
      name: `${names.endpoint}-backlog-per-instance`,
      policyType: 'TargetTrackingScaling',
      targetTrackingScalingPolicyConfiguration: {
        customizedMetricSpecification: {
          metricName: 'ApproximateBacklogSizePerInstance',
          namespace: 'AWS/SageMaker',
          dimensions: [{ name: 'EndpointName', value: this.endpoint.name }],
          statistic: 'Average',
        },
        targetValue: config.targetBacklogPerInstance,
        ...cooldowns,
      },
    });
    const fromZero = new AppautoscalingPolicy(this, 'scale-out-from-zero', {
      ...scaling,
      name: `${names.endpoint}-scale-out-from-zero`,
      policyType: 'StepScaling',
      stepScalingPolicyConfiguration: {
        adjustmentType: 'ChangeInCapacity',
        cooldown: config.scaleOutCooldownSeconds,
        metricAggregationType: 'Average',
        stepAdjustment: [{ metricIntervalLowerBound: '0', scalingAdjustment: 1 }],
      },
    });
    new CloudwatchMetricAlarm(this, 'backlog-without-capacity', {
      alarmName: `${names.endpoint}-backlog-without-capacity`,
      alarmDescription: 'Requests are queued while the endpoint has no instance: add one.',
      namespace: 'AWS/SageMaker',
      metricName: 'HasBacklogWithoutCapacity',
      dimensions: { EndpointName: this.endpoint.name },
      statistic: 'Average',
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'missing',
      alarmActions: [fromZero.arn],
    });
  }
}
