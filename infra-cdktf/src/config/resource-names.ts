/** Ports the containers listen on; the ALB, security groups and task definitions agree on them. */
export const CONTAINER_PORTS = { web: 3000, api: 8080 } as const;

/** The single production variant; autoscaling and CloudWatch address it by this name. */
export const VARIANT_NAME = 'AllTraffic';

/**
 * Where async inference payloads live inside the audio bucket. The API uploads each window under
 * `input`; SageMaker writes results under `output` and errors under `failure`. The SageMaker role
 * may read only `input` and write only `output`/`failure`.
 */
export const ASYNC_PREFIXES = {
  input: 'sagemaker-async/input/',
  output: 'sagemaker-async/output/',
  failure: 'sagemaker-async/failure/',
} as const;

/** The jobs table's key schema; the API's DynamoDB job store must use the same names. */
export const JOBS_TABLE_SCHEMA = {
  partitionKey: 'id',
  /** Epoch seconds after which DynamoDB deletes the item. */
  ttlAttribute: 'expiresAt',
  indexes: {
    /** A user's jobs, newest first (ScanIndexForward=false). */
    byOwner: { name: 'ownerId-createdAt-index', partitionKey: 'ownerId', sortKey: 'createdAt' },
    /** Jobs in one state in arrival order: workers find `queued` jobs and expired leases here. */
    byStatus: { name: 'jobStatus-createdAt-index', partitionKey: 'jobStatus', sortKey: 'createdAt' },
  },
} as const;

/** Stack ids, as `cdktf deploy <id>` takes them. */
export function stackIds(prefix: string) {
  return { artifacts: `${prefix}-artifacts`, platform: `${prefix}-platform` } as const;
}

/**
 * Every physical name derives from the prefix (and, for globally unique bucket names, the account
 * id), so the platform stack finds what the artifacts stack made, and IAM policies can name
 * resources before they exist without reference cycles.
 */
export function resourceNames(prefix: string, accountId: string) {
  return {
    repositories: { api: `${prefix}/api`, web: `${prefix}/web`, model: `${prefix}/model` },
    modelBucket: `${prefix}-models-${accountId}`,
    audioBucket: `${prefix}-audio-${accountId}`,
    jobsTable: `${prefix}-jobs`,
    cluster: prefix,
    services: { web: `${prefix}-web`, api: `${prefix}-api` },
    logGroups: {
      web: `/ecs/${prefix}/web`,
      api: `/ecs/${prefix}/api`,
      // SageMaker writes here; creating it ourselves gives it a retention period.
      endpoint: `/aws/sagemaker/Endpoints/${prefix}-asr`,
    },
    endpoint: `${prefix}-asr`,
    topics: {
      asyncSuccess: `${prefix}-asr-async-success`,
      asyncError: `${prefix}-asr-async-error`,
      alarms: `${prefix}-alarms`,
    },
    roles: {
      webExecution: `${prefix}-web-execution`,
      apiExecution: `${prefix}-api-execution`,
      apiTask: `${prefix}-api-task`,
      sagemaker: `${prefix}-sagemaker`,
    },
    loadBalancer: `${prefix}-alb`,
    targetGroups: { web: `${prefix}-web`, api: `${prefix}-api` },
    dashboard: `${prefix}-overview`,
  } as const;
}

export type ResourceNames = ReturnType<typeof resourceNames>;
