import type { DeployEnv } from '../config/deploy-env';
import type { EnvironmentName } from '../config/load-config';

/** What a release pipeline would export: fake but well-formed ARNs, no real account. */
export const EXAMPLE_DEPLOY_ENV: DeployEnv = {
  IMAGE_TAG: '3f2c1ab',
  CERTIFICATE_ARN: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
  WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:speech/webhook-signing-AbCdEf',
  ALARM_EMAIL: 'oncall@example.com',
};

/**
 * Deploy-time inputs per example: dev as a developer runs it (nothing set: HTTP, no alarm
 * e-mail, no secrets), prod as the release pipeline runs it (everything set).
 */
export const EXAMPLE_DEPLOY_ENVS: Record<EnvironmentName, DeployEnv> = {
  dev: {},
  prod: EXAMPLE_DEPLOY_ENV,
};
