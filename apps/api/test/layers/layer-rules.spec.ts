import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * The layer rules of .dependency-cruiser.cjs (run by `nx run api:lint`) fire: a small tree laid out like
 * apps/api/src and libs, with one breach of each kind, is cruised with the real config and the real CLI.
 */
const ROOT = resolve(__dirname, '../../../..');
const CLI = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

function cruise(files: Record<string, string>): Violation[] {
  const dir = mkdtempSync(join(tmpdir(), 'layer-rules-'));
  try {
    mkdirSync(join(dir, 'libs'));
    writeFileSync(join(dir, 'tsconfig.base.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const run = spawnSync(process.execPath, [CLI, 'apps/api/src', 'libs', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (!run.stdout) throw new Error(`depcruise gave no report (exit ${run.status}): ${run.stderr}`);
    return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const summary = (violations: Violation[]) => violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();

describe('layer rules', () => {
  it('pass a tree whose imports all run downward', () => {
    expect(
      cruise({
        'apps/api/src/main.ts': "import { JobsModule } from './jobs/jobs.module';\nexport const app = JobsModule;\n",
        'apps/api/src/jobs/jobs.module.ts': "import { transcribe } from '../pipeline/transcribe';\nexport const JobsModule = transcribe;\n",
        'apps/api/src/pipeline/transcribe.ts': "import type { Owner } from '../common/owner';\nexport const transcribe = (owner: Owner) => owner;\n",
        'apps/api/src/common/owner.ts': "import type { JobStatus } from '../../../../libs/contracts/src/status';\nexport type Owner = { status: JobStatus };\n",
        'libs/contracts/src/status.ts': "export type JobStatus = 'queued';\n",
      }),
    ).toEqual([]);
  });

  it('report a cycle, also one made only of type imports', () => {
    const violations = cruise({
      'apps/api/src/common/a.ts': "import type { B } from './b';\nexport interface A { readonly b?: B }\n",
      'apps/api/src/common/b.ts': "import type { A } from './a';\nexport interface B { readonly a?: A }\n",
    });
    // Reported once, at the import that closes the loop.
    expect(summary(violations)).toEqual(['no-circular: apps/api/src/common/a.ts -> apps/api/src/common/b.ts']);
  });

  it('report imports that run up a layer', () => {
    const violations = cruise({
      // storage → auth: the anonymous owner belongs in common/.
      'apps/api/src/storage/store.ts': "import { ANONYMOUS_OWNER } from '../auth/principal';\nexport const owner = ANONYMOUS_OWNER;\n",
      'apps/api/src/auth/principal.ts': "export const ANONYMOUS_OWNER = 'anonymous';\n",
      // pipeline → jobs: the audio pipeline that jobs run never reaches back into jobs.
      'apps/api/src/pipeline/service.ts': "import { runner } from '../jobs/runner';\nexport const service = runner;\n",
      'apps/api/src/jobs/runner.ts': 'export const runner = 1;\n',
      // common → config: the bottom layer imports nothing of ours.
      'apps/api/src/common/logger.ts': "import type { Level } from '../config/level';\nexport const level: Level = 'info';\n",
      'apps/api/src/config/level.ts': "export type Level = 'info';\n",
    });
    expect(summary(violations)).toEqual([
      'layer-adapters: apps/api/src/storage/store.ts -> apps/api/src/auth/principal.ts',
      'layer-common: apps/api/src/common/logger.ts -> apps/api/src/config/level.ts',
      'layer-features: apps/api/src/pipeline/service.ts -> apps/api/src/jobs/runner.ts',
    ]);
  });

  it('report a folder that belongs to no layer, and contracts that import anything', () => {
    const violations = cruise({
      'apps/api/src/gadgets/gadget.ts': "import { ok } from '../common/ok';\nexport const gadget = ok;\n",
      'apps/api/src/common/ok.ts': 'export const ok = true;\n',
      'libs/contracts/src/leak.ts': "import { ok } from '../../../apps/api/src/common/ok';\nexport const leak = ok;\n",
    });
    expect(summary(violations)).toEqual([
      'api-folders-are-layered: apps/api/src/gadgets/gadget.ts -> apps/api/src/common/ok.ts',
      'contracts-import-nothing: libs/contracts/src/leak.ts -> apps/api/src/common/ok.ts',
      'libs-never-import-apps: libs/contracts/src/leak.ts -> apps/api/src/common/ok.ts',
    ]);
  });
});
