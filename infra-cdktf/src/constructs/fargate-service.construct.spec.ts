import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { containerDefinitions, exampleConfig, examplePlatform, referenced, resourceNamed } from '../testing/synth';

describe.each(['dev', 'prod'] as const)('FargateService (%s)', (env) => {
  const { json, tf } = examplePlatform(env);
  const config = exampleConfig(env);

  it.each(['web', 'api'] as const)('sizes the %s task from config', (name) => {
    expect(json).toHaveResourceWithProperties(EcsTaskDefinition, {
      family: `speech-${env}-${name}`,
      cpu: String(config[name].cpu),
      memory: String(config[name].memory),
      network_mode: 'awsvpc',
      requires_compatibilities: ['FARGATE'],
    });
  });

  it('gives the api 2 vCPU / 4 GB and the console 0.5 vCPU / 1 GB in prod, less in dev', () => {
    const api = resourceNamed(tf, 'aws_ecs_task_definition', 'services_api');
    const web = resourceNamed(tf, 'aws_ecs_task_definition', 'services_web');
    expect([api.cpu, api.memory, web.cpu, web.memory]).toEqual(
      env === 'prod' ? ['2048', '4096', '512', '1024'] : ['1024', '2048', '256', '512'],
    );
  });

  it('stops containers gracefully and logs to CloudWatch', () => {
    const [api] = containerDefinitions(resourceNamed(tf, 'aws_ecs_task_definition', 'services_api'));
    const [web] = containerDefinitions(resourceNamed(tf, 'aws_ecs_task_definition', 'services_web'));
    expect(api).toMatchObject({ name: 'api', stopTimeout: 120, portMappings: [{ containerPort: 8080, protocol: 'tcp' }] });
    expect(web).toMatchObject({ name: 'web', stopTimeout: 30, portMappings: [{ containerPort: 3000, protocol: 'tcp' }] });
    for (const container of [api, web]) {
      expect(container.linuxParameters).toEqual({ initProcessEnabled: true });
      expect(container.readonlyRootFilesystem).toBe(true);
      expect(container.mountPoints).toEqual([{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }]);
      expect(container.logConfiguration).toMatchObject({
        logDriver: 'awslogs',
        options: { 'awslogs-group': `/ecs/speech-${env}/${container.name}`, 'awslogs-region': 'us-east-1' },
      });
    }
    expect(api.image).toBe(`\${data.aws_ecr_repository.api-repository.repository_url}:${config.images.tag}`);
  });

  it('keeps logs for 30 days', () => {
    for (const name of ['web', 'api']) {
      expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: `/ecs/speech-${env}/${name}`, retention_in_days: 30 });
    }
  });

  it.each(['web', 'api'] as const)('runs %s in private subnets without public IPs, rolling back failed deployments', (name) => {
    expect(json).toHaveResourceWithProperties(EcsService, {
      name: `speech-${env}-${name}`,
      launch_type: 'FARGATE',
      desired_count: config[name].minTasks,
      deployment_circuit_breaker: { enable: true, rollback: true },
      network_configuration: expect.objectContaining({ assign_public_ip: false }),
      load_balancer: [expect.objectContaining({ container_name: name, container_port: name === 'api' ? 8080 : 3000 })],
      lifecycle: { ignore_changes: ['desired_count'] },
    });
    const service = resourceNamed(tf, 'aws_ecs_service', `services_${name}`);
    for (const subnet of service.network_configuration.subnets) expect(referenced(tf, subnet).tags.Tier).toBe('private');
  });

  it.each(['web', 'api'] as const)('scales %s on 70 %% CPU, out after 60 s, in after 300 s', (name) => {
    expect(json).toHaveResourceWithProperties(AppautoscalingTarget, {
      service_namespace: 'ecs',
      scalable_dimension: 'ecs:service:DesiredCount',
      min_capacity: config[name].minTasks,
      max_capacity: env === 'prod' ? 10 : config[name].maxTasks,
      resource_id: expect.stringContaining(`aws_ecs_service.services_${name}_service`),
    });
    expect(json).toHaveResourceWithProperties(AppautoscalingPolicy, {
      name: `speech-${env}-${name}-cpu-70`,
      policy_type: 'TargetTrackingScaling',
      target_tracking_scaling_policy_configuration: {
        predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageCPUUtilization' },
        target_value: 70,
        scale_out_cooldown: 60,
        scale_in_cooldown: 300,
      },
    });
  });
});
