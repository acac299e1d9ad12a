import { apiSecretsFrom, type DeployEnv, optional, stateBackendFrom } from './deploy-env';
import type { StackConfigInput } from './stack-config';

/**
 * Development: cheapest shape that still runs the whole path. One NAT gateway, small tasks, an
 * async endpoint that scales to zero when idle (first request after idle waits for an instance to
 * start, ~5–10 min), HTTP unless CERTIFICATE_ARN is set, everything destroyable.
 */
export function devConfig(env: DeployEnv = process.env): StackConfigInput {
  return {
    environment: 'dev',
    region: 'us-east-1',
    prefix: 'speech-dev',
    stateBackend: stateBackendFrom(env),
    network: { natGateways: 'single' },
    loadBalancer: { certificateArn: optional(env.CERTIFICATE_ARN) },
    images: { tag: optional(env.IMAGE_TAG) ?? 'latest' },
    registry: { forceDelete: true },
    web: { cpu: 256, memory: 512, minTasks: 1, maxTasks: 2 },
    api: { cpu: 1024, memory: 2048, minTasks: 1, maxTasks: 3, secrets: apiSecretsFrom(env) },
    endpoint: {
      mode: 'async',
      instanceType: 'ml.g4dn.xlarge',
      minInstances: 0,
      maxInstances: 1,
      modelDataKey: optional(env.MODEL_DATA_KEY),
    },
    storage: { forceDestroy: true, deletionProtection: false },
    observability: { alarmEmail: optional(env.ALARM_EMAIL), alarmTopicArn: optional(env.ALARM_TOPIC_ARN) },
  };
}
