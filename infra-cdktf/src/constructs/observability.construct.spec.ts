import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { examplePlatform, resourceList } from '../testing/synth';

describe.each(['dev', 'prod'] as const)('Observability (%s)', (env) => {
  const { json, tf } = examplePlatform(env);
  const alarms = resourceList(tf, 'aws_cloudwatch_metric_alarm').filter((alarm) => !alarm.alarm_name.includes('backlog-without'));
  const alarmNamed = (suffix: string) => alarms.find((alarm) => alarm.alarm_name === `speech-${env}-${suffix}`);

  it('charts SageMaker, ECS and ALB metrics on one dashboard', () => {
    expect(json).toHaveResourceWithProperties(CloudwatchDashboard, { dashboard_name: `speech-${env}-overview` });
    const [dashboard] = resourceList(tf, 'aws_cloudwatch_dashboard');
    const metrics = (JSON.parse(dashboard.dashboard_body).widgets as { properties: { metrics: string[][] } }[]).flatMap((widget) =>
      widget.properties.metrics.map((metric) => `${metric[0]}:${metric[1]}`),
    );
    expect(metrics).toEqual(
      expect.arrayContaining([
        'AWS/SageMaker:ModelLatency',
        'AWS/SageMaker:Invocations',
        'AWS/SageMaker:Invocation4XXErrors',
        'AWS/SageMaker:Invocation5XXErrors',
        'AWS/ECS:CPUUtilization',
        'AWS/ECS:MemoryUtilization',
        'AWS/ApplicationELB:TargetResponseTime',
        'AWS/ApplicationELB:RequestCount',
        'AWS/ApplicationELB:HealthyHostCount',
        'AWS/ApplicationELB:UnHealthyHostCount',
        'AWS/ApplicationELB:HTTPCode_ELB_5XX_Count',
        'AWS/ApplicationELB:HTTPCode_Target_5XX_Count',
      ]),
    );
    expect(metrics.includes('AWS/SageMaker:ApproximateBacklogSize')).toBe(env === 'dev');
  });

  it('alarms on endpoint 5xx, ALB 5xx, unhealthy hosts, latency and (async) backlog', () => {
    expect(alarms.map((alarm) => alarm.alarm_name).sort()).toEqual(
      [
        'alb-5xx',
        'api-latency',
        'api-unhealthy-hosts',
        ...(env === 'dev' ? ['async-backlog'] : []),
        'endpoint-5xx',
        'model-latency',
        'web-unhealthy-hosts',
      ].map((name) => `speech-${env}-${name}`),
    );
    expect(alarmNamed('endpoint-5xx')).toMatchObject({ namespace: 'AWS/SageMaker', metric_name: 'Invocation5XXErrors' });
    expect(alarmNamed('model-latency')).toMatchObject({ extended_statistic: 'p95', threshold: 60_000_000 });
    expect(alarmNamed('alb-5xx')?.metric_query).toContainEqual(expect.objectContaining({ expression: 'FILL(elb, 0) + FILL(target, 0)' }));
  });

  if (env === 'prod') {
    it('sends alarms to an e-mail topic when ALARM_EMAIL is set', () => {
      expect(json).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: 'email', endpoint: 'oncall@example.com' });
      for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([expect.stringMatching(/aws_sns_topic\.observability_alarm-topic/)]);
    });
  } else {
    it('still creates the alarms, without actions, when no alarm target is set', () => {
      expect(json).not.toHaveResource(SnsTopicSubscription);
      for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([]);
    });
  }
});
