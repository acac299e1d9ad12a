import { type App, type TerraformStack, Testing } from 'cdktf';
import { ENVIRONMENTS, type EnvironmentName } from '../config/load-config';
import { stackIds } from '../config/resource-names';
import { EXAMPLE_DEPLOY_ENVS } from './example-env';
import { parseStackConfig, type StackConfig, type StackConfigInput } from '../config/stack-config';
import { ArtifactsStack } from '../stacks/artifacts.stack';
import { PlatformStack } from '../stacks/platform.stack';

export { EXAMPLE_DEPLOY_ENV } from './example-env';

export const EXAMPLE_ENVIRONMENTS = Object.keys(ENVIRONMENTS) as EnvironmentName[];

/** An example environment's validated config, optionally with some sections replaced. */
export function exampleConfig(name: EnvironmentName, change?: (input: StackConfigInput) => StackConfigInput): StackConfig {
  const input = ENVIRONMENTS[name](EXAMPLE_DEPLOY_ENVS[name]);
  return parseStackConfig(change ? change(input) : input, name);
}

export interface Synthesized {
  /** Testing.synth output, the input of the cdktf jest matchers. */
  readonly json: string;
  readonly tf: TerraformJson;
}

export interface TerraformJson {
  resource: Record<string, Record<string, TfBlock>>;
  data: Record<string, Record<string, TfBlock>>;
  output: Record<string, { value: unknown }>;
  terraform: Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TfBlock = Record<string, any>;

function synthesize(build: (app: App) => TerraformStack): Synthesized {
  const json = Testing.synth(build(Testing.app()));
  return { json, tf: JSON.parse(json) as TerraformJson };
}

const cache = new Map<string, Synthesized>();

export function synthPlatform(config: StackConfig): Synthesized {
  return synthesize((app) => new PlatformStack(app, stackIds(config.prefix).platform, config));
}

export function synthArtifacts(config: StackConfig): Synthesized {
  return synthesize((app) => new ArtifactsStack(app, stackIds(config.prefix).artifacts, config));
}

/** The example environment's platform stack, synthesized once per test file. */
export function examplePlatform(name: EnvironmentName): Synthesized {
  const key = `platform:${name}`;
  if (!cache.has(key)) cache.set(key, synthPlatform(exampleConfig(name)));
  return cache.get(key) as Synthesized;
}

export function exampleArtifacts(name: EnvironmentName): Synthesized {
  const key = `artifacts:${name}`;
  if (!cache.has(key)) cache.set(key, synthArtifacts(exampleConfig(name)));
  return cache.get(key) as Synthesized;
}

/** All blocks of one resource type, keyed by their logical id. */
export function resources(tf: TerraformJson, type: string): Record<string, TfBlock> {
  return tf.resource?.[type] ?? {};
}

export function resourceList(tf: TerraformJson, type: string): TfBlock[] {
  return Object.values(resources(tf, type));
}

/** The one resource of a type whose logical id contains `fragment`. */
export function resourceNamed(tf: TerraformJson, type: string, fragment: string): TfBlock {
  const matches = Object.entries(resources(tf, type)).filter(([id]) => id.includes(fragment));
  if (matches.length !== 1) throw new Error(`expected one ${type} matching "${fragment}", found ${matches.length}`);
  return matches[0][1];
}

/** `${aws_subnet.network_private-0_ABC.id}` → { type: 'aws_subnet', id: 'network_private-0_ABC' }. */
export function reference(expression: string): { type: string; id: string; attribute: string } {
  const match = /^\$\{(?:data\.)?([a-z0-9_]+)\.([^.]+)\.([a-z0-9_]+)\}$/.exec(expression);
  if (!match) throw new Error(`not a single reference: ${expression}`);
  return { type: match[1], id: match[2], attribute: match[3] };
}

/** The block a `${type.id.attribute}` expression points at. */
export function referenced(tf: TerraformJson, expression: string): TfBlock {
  const { type, id } = reference(expression);
  const block = resources(tf, type)[id] ?? tf.data?.[type]?.[id];
  if (!block) throw new Error(`dangling reference ${expression}`);
  return block;
}

export interface PolicyStatement {
  document: string;
  sid?: string;
  effect: string;
  actions: string[];
  resources: string[];
  condition?: { test: string; variable: string; values: string[] }[];
  principals?: { type: string; identifiers: string[] }[];
}

/** Every statement of every aws_iam_policy_document, flattened. */
export function policyStatements(tf: TerraformJson): PolicyStatement[] {
  return Object.entries(tf.data?.aws_iam_policy_document ?? {}).flatMap(([document, block]) =>
    (block.statement as TfBlock[]).map((statement) => ({
      document,
      sid: statement.sid,
      effect: statement.effect ?? 'Allow',
      actions: statement.actions ?? [],
      resources: statement.resources ?? [],
      condition: statement.condition,
      principals: statement.principals,
    })),
  );
}

/** The permission statements of the role whose logical id contains `role` (e.g. 'api-task'). */
export function roleStatements(tf: TerraformJson, role: string): PolicyStatement[] {
  return policyStatements(tf).filter((statement) => statement.document.includes(`${role}-permissions`));
}

/** Container definitions are a JSON string inside the task definition. */
export function containerDefinitions(taskDefinition: TfBlock): TfBlock[] {
  return JSON.parse(taskDefinition.container_definitions);
}
