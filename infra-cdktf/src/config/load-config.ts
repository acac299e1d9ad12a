import type { DeployEnv } from './deploy-env';
import { devConfig } from './dev';
import { prodConfig } from './prod';
import { parseStackConfig, type StackConfig, StackConfigError, type StackConfigInput } from './stack-config';

export const ENVIRONMENTS = {
  dev: devConfig,
  prod: prodConfig,
} satisfies Record<string, (env: DeployEnv) => StackConfigInput>;

export type EnvironmentName = keyof typeof ENVIRONMENTS;

export function isEnvironmentName(name: string): name is EnvironmentName {
  return Object.prototype.hasOwnProperty.call(ENVIRONMENTS, name);
}

/** The validated configuration of the environment named by STACK_ENV (default `dev`). */
export function loadStackConfig(env: DeployEnv & { readonly STACK_ENV?: string } = process.env): StackConfig {
  const name = env.STACK_ENV?.trim() || 'dev';
  if (!isEnvironmentName(name)) {
    throw new StackConfigError(name, [`STACK_ENV: unknown environment "${name}"; expected one of ${Object.keys(ENVIRONMENTS).join(', ')}`]);
  }
  return parseStackConfig(ENVIRONMENTS[name](env), name);
}
