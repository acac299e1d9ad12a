import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { VARIANT_NAME } from '../config/resource-names';
import type { StackConfig } from '../config/stack-config';

export interface ObservabilityProps {
  readonly names: { readonly dashboard: string; readonly alarmTopic: string; readonly prefix: string };
  readonly region: string;
  readonly config: StackConfig['observability'];
  readonly endpointMode: 'realtime' | 'async';
  readonly endpointName: string;
  readonly clusterName: string;
  readonly serviceNames: { readonly web: string; readonly api: string };
  /** `app/<name>/<id>` and `targetgroup/<name>/<id>`: the ALB's CloudWatch dimensions. */
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffixes: { readonly web: string; readonly api: string };
}

type Metric = (string | Record<string, unknown>)[];

/** A CloudWatch dashboard metric widget. */
function widget(title: string, region: string, metrics: Metric[], extra: Record<string, unknown> = {}) {
  return { type: 'metric', width: 12, height: 6, properties: { title, region, metrics, view: 'timeSeries', period: 60, ...extra } };
}

/**
 * One dashboard for the request path (ALB → ECS → SageMaker) and the alarms an operator acts on.
 * Alarms notify an SNS topic: a new one with an e-mail subscription, an existing one, or none
 * (alarms still show in the console).
 */
export class Observability extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly alarmTopicArn?: string;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config, region, names } = props;
    const endpoint = ['EndpointName', props.endpointName, 'VariantName', VARIANT_NAME];
    const alb = ['LoadBalancer', props.loadBalancerArnSuffix];
    const targets = (name: 'web' | 'api') => ['TargetGroup', props.targetGroupArnSuffixes[name], ...alb];
    const service = (name: 'web' | 'api') => ['ClusterName', props.clusterName, 'ServiceName', props.serviceNames[name]];

    if (config.alarmTopicArn) {
      this.alarmTopicArn = config.alarmTopicArn;
    } else if (config.alarmEmail) {
      const topic = new SnsTopic(this, 'alarm-topic', { name: names.alarmTopic });
      new SnsTopicSubscription(this, 'alarm-email', { topicArn: topic.arn, protocol: 'email', endpoint: config.alarmEmail });
      this.alarmTopicArn = topic.arn;
    }

    const widgets = [
      widget('SageMaker model latency (µs)', region, [
        ['AWS/SageMaker', 'ModelLatency', ...endpoint, { stat: 'p50', label: 'p50' }],
        ['AWS/SageMaker', 'ModelLatency', ...endpoint, { stat: 'p95', label: 'p95' }],
      ]),
      widget('SageMaker invocations and errors', region, [
        ['AWS/SageMaker', 'Invocations', ...endpoint, { stat: 'Sum' }],
        ['AWS/SageMaker', 'Invocation4XXErrors', ...endpoint, { stat: 'Sum' }],
        ['AWS/SageMaker', 'Invocation5XXErrors', ...endpoint, { stat: 'Sum' }],
      ]),
      widget('SageMaker instance GPU / CPU (%)', region, [
        ['/aws/sagemaker/Endpoints', 'GPUUtilization', ...endpoint],
        ['/aws/sagemaker/Endpoints', 'GPUMemoryUtilization', ...endpoint],
        ['/aws/sagemaker/Endpoints', 'CPUUtilization', ...endpoint],
      ]),
      ...(props.endpointMode === 'async'
        ? [
            widget('Async backlog', region, [
              ['AWS/SageMaker', 'ApproximateBacklogSize', 'EndpointName', props.endpointName, { stat: 'Average' }],
              ['AWS/SageMaker', 'HasBacklogWithoutCapacity', 'EndpointName', props.endpointName, { stat: 'Maximum' }],
            ]),
          ]
        : []),
      widget('ECS CPU / memory (%)', region, [
        ['AWS/ECS', 'CPUUtilization', ...service('api'), { label: 'api CPU' }],
        ['AWS/ECS', 'MemoryUtilization', ...service('api'), { label: 'api memory' }],
        ['AWS/ECS', 'CPUUtilization', ...service('web'), { label: 'web CPU' }],
        ['AWS/ECS', 'MemoryUtilization', ...service('web'), { label: 'web memory' }],
      ]),
      widget('ALB target response time (s)', region, [
        ['AWS/ApplicationELB', 'TargetResponseTime', ...targets('api'), { stat: 'p95', label: 'api p95' }],
        ['AWS/ApplicationELB', 'TargetResponseTime', ...targets('web'), { stat: 'p95', label: 'web p95' }],
      ]),
      widget('ALB requests and 5xx', region, [
        ['AWS/ApplicationELB', 'RequestCount', ...alb, { stat: 'Sum' }],
        ['AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', ...alb, { stat: 'Sum' }],
        ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', ...alb, { stat: 'Sum' }],
      ]),
      widget('ALB healthy / unhealthy targets', region, [
        ['AWS/ApplicationELB', 'HealthyHostCount', ...targets('api'), { stat: 'Minimum', label: 'api healthy' }],
        ['AWS/ApplicationELB', 'UnHealthyHostCount', ...targets('api'), { stat: 'Maximum', label: 'api unhealthy' }],
        ['AWS/ApplicationELB', 'HealthyHostCount', ...targets('web'), { stat: 'Minimum', label: 'web healthy' }],
        ['AWS/ApplicationELB', 'UnHealthyHostCount', ...targets('web'), { stat: 'Maximum', label: 'web unhealthy' }],
      ]),
    ];
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: names.dashboard,
      dashboardBody: JSON.stringify({
        widgets: widgets.map((w, i) => ({ ...w, x: (i % 2) * 12, y: Math.floor(i / 2) * 6 })),
      }),
    });

    const alarm = (id: string, description: string, settings: Omit<CloudwatchMetricAlarmConfig, 'alarmName'>) => {
      const actions = this.alarmTopicArn ? [this.alarmTopicArn] : [];
      this.alarms.push(
        new CloudwatchMetricAlarm(this, id, {
          alarmName: `${names.prefix}-${id}`,
          alarmDescription: description,
          treatMissingData: 'notBreaching',
          alarmActions: actions,
          okActions: actions,
          ...settings,
        }),
      );
    };

    alarm('endpoint-5xx', 'The model container answers with server errors.', {
      namespace: 'AWS/SageMaker',
      metricName: 'Invocation5XXErrors',
      dimensions: { EndpointName: props.endpointName, VariantName: VARIANT_NAME },
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    alarm('alb-5xx', 'The load balancer or its targets return 5xx.', {
      evaluationPeriods: 1,
      threshold: 5,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      metricQuery: [
        { id: 'total', expression: 'FILL(elb, 0) + FILL(target, 0)', label: '5xx responses', returnData: true },
        ...(['elb', 'target'] as const).map((kind) => ({
          id: kind,
          metric: {
            namespace: 'AWS/ApplicationELB',
            metricName: kind === 'elb' ? 'HTTPCode_ELB_5XX_Count' : 'HTTPCode_Target_5XX_Count',
            dimensions: { LoadBalancer: props.loadBalancerArnSuffix },
            stat: 'Sum',
            period: 300,
          },
        })),
      ],
    });
    for (const name of ['api', 'web'] as const) {
      alarm(`${name}-unhealthy-hosts`, `A ${name} task fails its load balancer health check.`, {
        namespace: 'AWS/ApplicationELB',
        metricName: 'UnHealthyHostCount',
        dimensions: { TargetGroup: props.targetGroupArnSuffixes[name], LoadBalancer: props.loadBalancerArnSuffix },
        statistic: 'Maximum',
        period: 60,
        evaluationPeriods: 3,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    alarm('api-latency', `API p95 response time above ${config.apiLatencyP95Seconds} s.`, {
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      dimensions: { TargetGroup: props.targetGroupArnSuffixes.api, LoadBalancer: props.loadBalancerArnSuffix },
      extendedStatistic: 'p95',
      period: 300,
      evaluationPeriods: 3,
      threshold: config.apiLatencyP95Seconds,
      comparisonOperator: 'GreaterThanThreshold',
    });
    alarm('model-latency', `Model p95 latency above ${config.modelLatencyP95Seconds} s.`, {
      namespace: 'AWS/SageMaker',
      metricName: 'ModelLatency',
      dimensions: { EndpointName: props.endpointName, VariantName: VARIANT_NAME },
      extendedStatistic: 'p95',
      period: 300,
      evaluationPeriods: 3,
      // ModelLatency is reported in microseconds.
      threshold: config.modelLatencyP95Seconds * 1_000_000,
      comparisonOperator: 'GreaterThanThreshold',
    });
    if (props.endpointMode === 'async') {
      alarm('async-backlog', `More than ${config.backlogAlarmThreshold} requests queued for 15 minutes.`, {
        namespace: 'AWS/SageMaker',
        metricName: 'ApproximateBacklogSize',
        dimensions: { EndpointName: props.endpointName },
        statistic: 'Average',
        period: 300,
        evaluationPeriods: 3,
        threshold: config.backlogAlarmThreshold,
        comparisonOperator: 'GreaterThanThreshold',
      });
    }
  }
}
