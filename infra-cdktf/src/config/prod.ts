import { apiSecretsFrom, type DeployEnv, optional, stateBackendFrom } from './deploy-env';
import type { StackConfigInput } from './stack-config';

/**
 * Production: NAT gateway per AZ, two tasks of each service across both AZs, an always-on
 * real-time endpoint (1–3 ml.g4dn.xlarge), HTTPS only, immutable image tags, deletion protection.
 * Needs CERTIFICATE_ARN and IMAGE_TAG.
 */
export function prodConfig(env: DeployEnv = process.env): StackConfigInput {
  return {
    environment: 'prod',
    region: 'us-east-1',
    prefix: 'speech-prod',
    stateBackend: stateBackendFrom(env),
    network: { natGateways: 'per-az' },
    loadBalancer: { certificateArn: optional(env.CERTIFICATE_ARN), requireHttps: true, deletionProtection: true },
    images: { tag: optional(env.IMAGE_TAG) ?? 'latest' },
    registry: { immutableTags: true },
    web: { cpu: 512, memory: 1024, minTasks: 2, maxTasks: 10 },
    api: {
      cpu: 2048,
      memory: 4096,
      minTasks: 2,
      maxTasks: 10,
      // Two windows in flight per task keeps the endpoint busy while the other task decodes uploads.
      environment: { ENGINE_CONCURRENCY: '2' },
      secrets: apiSecretsFrom(env),
    },
    endpoint: {
      mode: 'realtime',
      instanceType: 'ml.g4dn.xlarge',
      minInstances: 1,
      maxInstances: 3,
      modelDataKey: optional(env.MODEL_DATA_KEY),
    },
    storage: { forceDestroy: false, deletionProtection: true },
    observability: { alarmEmail: optional(env.ALARM_EMAIL), alarmTopicArn: optional(env.ALARM_TOPIC_ARN) },
  };
}
