import type { StackConfigInput } from './stack-config';

/**
 * Deploy-time values that differ per release or per account, read from the environment so the
 * environment files stay free of secrets and account ids. Identity (region, prefix, sizes) stays
 * in the files: changing those from a shell would point the same state at different resources.
 */
export interface DeployEnv {
  /** Image tag pushed to ECR for api, web and model (e.g. the git SHA). */
  readonly IMAGE_TAG?: string;
  /** ACM certificate for the HTTPS listener, in the stack's region. */
  readonly CERTIFICATE_ARN?: string;
  /** E-mail subscribed to the alarm topic. */
  readonly ALARM_EMAIL?: string;
  /** Existing SNS topic for alarms (instead of ALARM_EMAIL). */
  readonly ALARM_TOPIC_ARN?: string;
  /** Key of model.tar.gz in the model bucket; a new key makes SageMaker load the new model. */
  readonly MODEL_DATA_KEY?: string;
  /** Secrets Manager secret / SSM parameter holding the webhook signing secret. */
  readonly WEBHOOK_SECRET_ARN?: string;
  /** S3 bucket for remote Terraform state (locking with S3 lock files). */
  readonly TF_STATE_BUCKET?: string;
  readonly TF_STATE_REGION?: string;
}

/** Blank strings count as unset, so `FOO= cdktf deploy` behaves like leaving FOO out. */
export function optional(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}

export function stateBackendFrom(env: DeployEnv): StackConfigInput['stateBackend'] {
  const bucket = optional(env.TF_STATE_BUCKET);
  return bucket ? { bucket, region: optional(env.TF_STATE_REGION) } : undefined;
}

/** The API reads the webhook signing secret from WEBHOOK_SECRET; ECS injects it at start. */
export function apiSecretsFrom(env: DeployEnv): Record<string, string> {
  const webhook = optional(env.WEBHOOK_SECRET_ARN);
  return webhook ? { WEBHOOK_SECRET: webhook } : {};
}
