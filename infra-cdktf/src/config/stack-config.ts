import { z } from 'zod';
import { describeFargateMemory, isValidFargateSize } from './fargate-sizes';

/**
 * Paths the ALB sends to the API; everything else is the console (SPA), whose routes must not
 * start with these. `/health/*` carries liveness and per-adapter health.
 */
export const DEFAULT_API_PATH_PATTERNS = ['/api/*', '/v1/*', '/transcribe', '/health', '/health/*', '/status', '/status/*'];

/** Retention values CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Environment variables the stack itself sets on the API task; config may not override them. */
export const STACK_OWNED_API_ENV = [
  'PORT',
  'NODE_ENV',
  'ENGINE',
  'AWS_REGION',
  'SAGEMAKER_ENDPOINT_NAME',
  'SAGEMAKER_MODE',
  'SAGEMAKER_ASYNC_BUCKET',
  'SAGEMAKER_ASYNC_PREFIX',
  'MAX_FILE_SIZE',
  'JOB_STORE',
  'JOBS_TABLE',
  'BLOB_STORE',
  'BLOB_BUCKET',
  'TMP_DIR',
  // Derived from api.stopTimeoutSeconds (constructs/ecs-services.construct.ts): set that instead.
  'SHUTDOWN_GRACE_SECONDS',
  // Follow the load balancer: one proxy hop; keep-alive derived from loadBalancer.idleTimeoutSeconds.
  'TRUST_PROXY',
  'KEEP_ALIVE_TIMEOUT_SECONDS',
] as const;

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
/** Variable names are checked in the refinement below: zod reports a bad record key without our message. */
const envMap = z.record(z.string(), z.string()).default({});
const ipv4Cidr = z
  .string()
  .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/, 'must be an IPv4 CIDR');

/** Secrets Manager secret (optionally with a `:json-key::` suffix) or SSM parameter ARN. */
export const SECRET_ARN =
  /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(:[^:]*:[^:]*:[^:]*)?|ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+)$/;
const ACM_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/;
const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/;

function serviceSchema(defaults: { cpu: number; memory: number; stopTimeoutSeconds: number; healthCheckPath: string }) {
  return z
    .object({
      /** CPU units (1024 = 1 vCPU) and MiB, a valid Fargate pair. */
      cpu: z.number().int().default(defaults.cpu),
      memory: z.number().int().default(defaults.memory),
      minTasks: z.number().int().min(1).default(1),
      maxTasks: z.number().int().min(1).max(100).default(10),
      targetCpuPercent: z.number().min(10).max(95).default(70),
      scaleOutCooldownSeconds: z.number().int().min(0).max(3600).default(60),
      scaleInCooldownSeconds: z.number().int().min(0).max(3600).default(300),
      /** Seconds between SIGTERM and SIGKILL; Fargate allows at most 120. */
      stopTimeoutSeconds: z.number().int().min(2).max(120).default(defaults.stopTimeoutSeconds),
      healthCheckPath: z.string().startsWith('/').default(defaults.healthCheckPath),
      /** The root filesystem is read-only; /tmp is a writable task-local volume. */
      readonlyRootFilesystem: z.boolean().default(true),
      environment: envMap,
    });
}

export const stackConfigSchema = z
  .object({
    /** Short environment name, part of every resource name. */
    environment: z.string().regex(/^[a-z][a-z0-9]{1,9}$/, 'must be 2–10 lowercase letters/digits'),
    region: z.string().regex(REGION, 'must be an AWS region such as us-east-1'),
    /** Prefix of resource names; short because ALB and target group names stop at 32 characters. */
    prefix: z.string().regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, 'must be 3–20 lowercase letters, digits or dashes'),
    tags: z.record(z.string(), z.string()).default({}),
    /** Remote state; without it cdktf keeps local state files beside cdktf.json. */
    stateBackend: z
      .object({
        bucket: z.string().min(3),
        keyPrefix: z.string().default('speech-platform'),
        region: z.string().optional(),
      })
      .optional(),
    network: z
      .object({
        /** A /16, split into /24 public and /20 private subnets per AZ. */
        vpcCidr: z
          .string()
          .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)\.0\.0\/16$/, 'must be a /16 such as 10.0.0.0/16')
          .default('10.0.0.0/16'),
        /** `single` saves ~$33/month per AZ but one AZ outage cuts egress for all tasks. */
        natGateways: z.enum(['single', 'per-az']).default('per-az'),
        /** Who may reach the load balancer. */
        ingressCidrs: z.array(ipv4Cidr).min(1).default(['0.0.0.0/0']),
      })
      .prefault({}),
    loadBalancer: z
      .object({
        certificateArn: z.string().regex(ACM_ARN, 'must be an ACM certificate ARN').optional(),
        /** Refuse to synthesize an HTTP-only load balancer. */
        requireHttps: z.boolean().default(false),
        /** Sync transcription keeps a request open while the engine works. */
        idleTimeoutSeconds: z.number().int().min(60).max(4000).default(600),
        deletionProtection: z.boolean().default(false),
        apiPathPatterns: z
          .array(z.string().regex(/^\/[A-Za-z0-9_.*?/-]{0,127}$/, 'must be an ALB path pattern starting with /'))
          .min(1)
          .default(DEFAULT_API_PATH_PATTERNS),
      })
      .prefault({}),
    images: z
      .object({ tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a Docker tag').default('latest') })
      .prefault({}),
    registry: z
      .object({
        immutableTags: z.boolean().default(false),
        /** Delete repositories even when they still hold images (dev teardown). */
        forceDelete: z.boolean().default(false),
      })
      .prefault({}),
    web: serviceSchema({ cpu: 512, memory: 1024, stopTimeoutSeconds: 30, healthCheckPath: '/' }).prefault({}),
    // The ALB checks liveness: /health also reports the engine, and a SageMaker hiccup must not make
    // ECS replace every API task at once.
    api: serviceSchema({ cpu: 2048, memory: 4096, stopTimeoutSeconds: 120, healthCheckPath: '/health/live' })
      .extend({
        /** Upload cap in bytes (the API's MAX_FILE_SIZE). */
        maxFileSizeBytes: z.number().int().positive().default(104_857_600),
        /** Environment variable name → Secrets Manager / SSM parameter ARN, injected by ECS at start. */
        secrets: z
          .record(z.string(), z.string().regex(SECRET_ARN, 'must be a Secrets Manager secret or SSM parameter ARN'))
          .default({}),
      })
      .prefault({}),
    endpoint: z.object({
      /** `realtime`: always-on instances; `async`: S3 in/out, scales to zero when idle. */
      mode: z.enum(['realtime', 'async']),
      instanceType: z.string().regex(/^ml\.[a-z0-9-]+\.[a-z0-9]+$/, 'must be a SageMaker instance type').default('ml.g4dn.xlarge'),
      /** Default: 1 for realtime, 0 for async. */
      minInstances: z.number().int().min(0).optional(),
      maxInstances: z.number().int().min(1).max(20).default(3),
      /** Realtime target: invocations per instance per minute. */
      targetInvocationsPerInstance: z.number().positive().default(10),
      /** Async target: queued requests per instance. */
      targetBacklogPerInstance: z.number().positive().default(2),
      /** Async: requests one instance works on at once (the container serves one at a time). */
      maxConcurrentInvocationsPerInstance: z.number().int().min(1).max(1000).default(1),
      scaleInCooldownSeconds: z.number().int().min(0).default(300),
      scaleOutCooldownSeconds: z.number().int().min(0).default(60),
      /** Key of the packaged model inside the model bucket. */
      modelDataKey: z.string().regex(/^[A-Za-z0-9!_.*'()/-]+\.tar\.gz$/, 'must be an S3 key ending in .tar.gz').default('model.tar.gz'),
      /** Seconds SageMaker waits for /ping to pass after start (unset: the service default). */
      containerStartupTimeoutSeconds: z.number().int().min(60).max(3600).optional(),
      environment: envMap,
    }),
    storage: z
      .object({
        /** Days before uploaded audio, results and async payloads expire. */
        audioRetentionDays: z.number().int().min(1).max(3650).default(7),
        /** Days before superseded model.tar.gz versions expire. */
        modelNoncurrentVersionDays: z.number().int().min(1).max(3650).default(90),
        /** Empty and delete buckets on destroy (dev only). */
        forceDestroy: z.boolean().default(false),
        /** DynamoDB deletion protection. */
        deletionProtection: z.boolean().default(true),
      })
      .prefault({}),
    observability: z
      .object({
        logRetentionDays: z
          .number()
          .int()
          .refine((days) => LOG_RETENTION_DAYS.includes(days), `must be one of ${LOG_RETENTION_DAYS.join(', ')}`)
          .default(30),
        /** Create an SNS topic for alarms with this e-mail subscribed… */
        alarmEmail: z.email('must be an e-mail address').optional(),
        /** …or send alarms to an existing topic. */
        alarmTopicArn: z.string().regex(SNS_ARN, 'must be an SNS topic ARN').optional(),
        /** p95 ALB response time of the API above which the latency alarm fires. */
        apiLatencyP95Seconds: z.number().positive().default(60),
        /** p95 SageMaker ModelLatency above which the model latency alarm fires. */
        modelLatencyP95Seconds: z.number().positive().default(60),
        /** Async: queued requests that raise the backlog alarm. */
        backlogAlarmThreshold: z.number().int().positive().default(20),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });

    for (const service of ['web', 'api'] as const) {
      const { cpu, memory, minTasks, maxTasks } = config[service];
      if (!isValidFargateSize(cpu, memory)) issue([service, 'memory'], `invalid Fargate size: ${describeFargateMemory(cpu)}`);
      if (maxTasks < minTasks) issue([service, 'maxTasks'], `must be ≥ minTasks (${minTasks})`);
    }

    const { endpoint } = config;
    const minInstances = endpoint.minInstances ?? (endpoint.mode === 'async' ? 0 : 1);
    if (endpoint.mode === 'realtime' && minInstances < 1) {
      issue(['endpoint', 'minInstances'], 'a real-time endpoint cannot scale to zero; use mode "async" or minInstances ≥ 1');
    }
    if (endpoint.maxInstances < minInstances) issue(['endpoint', 'maxInstances'], `must be ≥ minInstances (${minInstances})`);

    const { certificateArn, requireHttps } = config.loadBalancer;
    if (requireHttps && !certificateArn) {
      issue(['loadBalancer', 'certificateArn'], 'is required because requireHttps is set (set CERTIFICATE_ARN to an ACM certificate)');
    }
    const certificateRegion = certificateArn ? ACM_ARN.exec(certificateArn)?.[1] : undefined;
    if (certificateRegion && REGION.test(config.region) && certificateRegion !== config.region) {
      issue(['loadBalancer', 'certificateArn'], `is in ${certificateRegion}; an ALB needs a certificate in ${config.region}`);
    }

    if (config.registry.immutableTags && config.images.tag === 'latest') {
      issue(['images', 'tag'], 'must name a build (e.g. the git SHA) when tags are immutable; set IMAGE_TAG');
    }
    if (config.observability.alarmEmail && config.observability.alarmTopicArn) {
      issue(['observability'], 'set alarmEmail or alarmTopicArn, not both');
    }

    const variables: [string, Record<string, string>][] = [
      ['web.environment', config.web.environment],
      ['api.environment', config.api.environment],
      ['api.secrets', config.api.secrets],
      ['endpoint.environment', config.endpoint.environment],
    ];
    for (const [path, map] of variables) {
      for (const name of Object.keys(map).filter((key) => !ENV_NAME.test(key))) {
        issue(path.split('.'), `${name}: must be an UPPER_SNAKE_CASE environment variable name`);
      }
    }

    const owned = new Set<string>(STACK_OWNED_API_ENV);
    const apiNames = [...Object.keys(config.api.environment), ...Object.keys(config.api.secrets)];
    for (const name of apiNames.filter((key) => owned.has(key))) {
      issue(['api', 'environment'], `${name} is set by the stack and cannot be overridden`);
    }
    const secretNames = new Set(Object.keys(config.api.secrets));
    for (const name of Object.keys(config.api.environment).filter((key) => secretNames.has(key))) {
      issue(['api', 'secrets'], `${name} is both a plain variable and a secret`);
    }
  })
  .transform((config) => ({
    ...config,
    endpoint: { ...config.endpoint, minInstances: config.endpoint.minInstances ?? (config.endpoint.mode === 'async' ? 0 : 1) },
  }));

/** What an environment file writes: defaults filled in by the schema. */
export type StackConfigInput = z.input<typeof stackConfigSchema>;
/** The validated configuration the stacks consume. */
export type StackConfig = z.output<typeof stackConfigSchema>;
export type ServiceConfig = StackConfig['web'];
export type EndpointConfig = StackConfig['endpoint'];

export class StackConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid stack configuration "${environment}":\n  - ${problems.join('\n  - ')}`);
    this.name = 'StackConfigError';
  }
}

/** Validate an environment's configuration; throws StackConfigError listing every problem. */
export function parseStackConfig(input: StackConfigInput, environment = String(input.environment ?? 'unknown')): StackConfig {
  const parsed = stackConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new StackConfigError(
      environment,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}
