import { App } from 'cdktf';
import { loadStackConfig } from './src/config/load-config';
import { stackIds } from './src/config/resource-names';
import { type StackConfig, StackConfigError } from './src/config/stack-config';
import { ArtifactsStack } from './src/stacks/artifacts.stack';
import { PlatformStack } from './src/stacks/platform.stack';

/**
 * Synthesizes the two stacks of the environment named by STACK_ENV (default dev):
 * `<prefix>-artifacts` (ECR, model bucket) and `<prefix>-platform` (everything that runs).
 * Used by `cdktf synth|diff|deploy` (cdktf.json) and by `nx run infra-cdktf:synth`.
 */
function loadConfigOrExit(): StackConfig {
  try {
    return loadStackConfig(process.env);
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const config = loadConfigOrExit();
const ids = stackIds(config.prefix);
const app = new App();
new ArtifactsStack(app, ids.artifacts, config);
new PlatformStack(app, ids.platform, config);
app.synth();
