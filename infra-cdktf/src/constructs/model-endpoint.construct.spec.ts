import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SagemakerEndpoint } from '@cdktf/provider-aws/lib/sagemaker-endpoint';
import { SagemakerModel } from '@cdktf/provider-aws/lib/sagemaker-model';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { examplePlatform, referenced, resourceList } from '../testing/synth';

describe.each(['dev', 'prod'] as const)('ModelEndpoint (%s)', (env) => {
  const { json, tf } = examplePlatform(env);
  const [endpointConfig] = resourceList(tf, 'aws_sagemaker_endpoint_configuration');

  it('runs our model image with model.tar.gz from the model bucket, network-isolated in private subnets', () => {
    expect(json).toHaveResourceWithProperties(SagemakerModel, {
      primary_container: {
        image: `\${data.aws_ecr_repository.model-repository.repository_url}:${env === 'prod' ? '3f2c1ab' : 'latest'}`,
        model_data_url: 's3://${data.aws_s3_bucket.model-bucket.bucket}/model.tar.gz',
      },
      enable_network_isolation: true,
      execution_role_arn: expect.stringMatching(/aws_iam_role\.iam_sagemaker_/),
      lifecycle: { create_before_destroy: true },
    });
    const [model] = resourceList(tf, 'aws_sagemaker_model');
    expect(model.depends_on).toEqual([expect.stringMatching(/aws_iam_role_policy\.iam_sagemaker-policy/)]);
    for (const subnet of model.vpc_config.subnets) expect(referenced(tf, subnet).tags.Tier).toBe('private');
    expect(referenced(tf, model.vpc_config.security_group_ids[0]).name).toBe(`speech-${env}-model`);
  });

  it('serves one ml.g4dn.xlarge variant to start with', () => {
    expect(endpointConfig.production_variants).toEqual([
      expect.objectContaining({ variant_name: 'AllTraffic', instance_type: 'ml.g4dn.xlarge', initial_instance_count: 1 }),
    ]);
    expect(json).toHaveResourceWithProperties(SagemakerEndpoint, {
      name: `speech-${env}-asr`,
      endpoint_config_name: expect.stringMatching(/aws_sagemaker_endpoint_configuration\..*\.name/),
    });
  });

  it('keeps the endpoint logs for 30 days', () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: `/aws/sagemaker/Endpoints/speech-${env}-asr`,
      retention_in_days: 30,
    });
  });

  if (env === 'prod') {
    it('is a real-time endpoint scaling 1–3 on invocations per instance', () => {
      expect(endpointConfig.async_inference_config).toBeUndefined();
      expect(json).toHaveResourceWithProperties(AppautoscalingTarget, {
        service_namespace: 'sagemaker',
        scalable_dimension: 'sagemaker:variant:DesiredInstanceCount',
        resource_id: expect.stringMatching(/^endpoint\/\$\{aws_sagemaker_endpoint\.model-endpoint_\w+\.name\}\/variant\/AllTraffic$/),
        min_capacity: 1,
        max_capacity: 3,
      });
      expect(json).toHaveResourceWithProperties(AppautoscalingPolicy, {
        policy_type: 'TargetTrackingScaling',
        target_tracking_scaling_policy_configuration: expect.objectContaining({
          predefined_metric_specification: { predefined_metric_type: 'SageMakerVariantInvocationsPerInstance' },
          target_value: 10,
        }),
      });
      expect(json).not.toHaveResourceWithProperties(SnsTopic, { name: expect.stringContaining('-async-') });
    });
  } else {
    it('is an async endpoint writing results and failures to S3 and announcing them on SNS', () => {
      expect(endpointConfig.async_inference_config).toEqual({
        client_config: { max_concurrent_invocations_per_instance: 1 },
        output_config: {
          s3_output_path: expect.stringMatching(/^s3:\/\/\$\{aws_s3_bucket\.storage_audio_bucket_\w+\.bucket\}\/sagemaker-async\/output\/$/),
          s3_failure_path: expect.stringMatching(/\/sagemaker-async\/failure\/$/),
          notification_config: {
            success_topic: expect.stringMatching(/aws_sns_topic\.model-endpoint_async-success/),
            error_topic: expect.stringMatching(/aws_sns_topic\.model-endpoint_async-error/),
          },
        },
      });
      expect(json).toHaveResourceWithProperties(SnsTopic, { name: 'speech-dev-asr-async-success' });
      expect(json).toHaveResourceWithProperties(SnsTopic, { name: 'speech-dev-asr-async-error' });
    });

    it('scales to zero on backlog per instance', () => {
      expect(json).toHaveResourceWithProperties(AppautoscalingTarget, { service_namespace: 'sagemaker', min_capacity: 0, max_capacity: 1 });
      expect(json).toHaveResourceWithProperties(AppautoscalingPolicy, {
        policy_type: 'TargetTrackingScaling',
        target_tracking_scaling_policy_configuration: expect.objectContaining({
          customized_metric_specification: {
            metric_name: 'ApproximateBacklogSizePerInstance',
            namespace: 'AWS/SageMaker',
            dimensions: [{ name: 'EndpointName', value: expect.stringMatching(/aws_sagemaker_endpoint\./) }],
            statistic: 'Average',
          },
          target_value: 2,
        }),
      });
    });

    it('adds the first instance when requests wait without capacity', () => {
      expect(json).toHaveResourceWithProperties(AppautoscalingPolicy, {
        name: 'speech-dev-asr-scale-out-from-zero',
        policy_type: 'StepScaling',
        step_scaling_policy_configuration: expect.objectContaining({
          adjustment_type: 'ChangeInCapacity',
          step_adjustment: [{ metric_interval_lower_bound: '0', scaling_adjustment: 1 }],
        }),
      });
      expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        namespace: 'AWS/SageMaker',
        metric_name: 'HasBacklogWithoutCapacity',
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
        alarm_actions: [expect.stringMatching(/aws_appautoscaling_policy\.model-endpoint_scale-out-from-zero_\w+\.arn/)],
      });
    });
  }
});
