import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@speech/test-support';

/** No Docker engine here: the Dockerfiles are read, and the steps that can run without Docker are run. */
interface BaseImage {
  file: string;
  line: number;
  image: string;
  pinned: boolean;
}

const root = workspaceRoot();
const pins = (args: string[], cwd = root) => spawnSync(process.execPath, [join(root, 'scripts/image-pins.mjs'), ...args], { cwd, encoding: 'utf8' });
const images = JSON.parse(pins(['--json']).stdout) as BaseImage[];

describe('Dockerfiles', () => {
  it('builds and runs every Node image on a supported LTS (22 or 24; Node 20 is end of life)', () => {
    const node = images.filter((entry) => entry.image.startsWith('node:'));
    expect(node.map((entry) => entry.file).sort()).toEqual(expect.arrayContaining(['apps/api/Dockerfile', 'apps/web/Dockerfile']));
    for (const entry of node) expect({ at: `${entry.file}:${entry.line}`, image: entry.image }).toEqual({ at: `${entry.file}:${entry.line}`, image: expect.stringMatching(/^node:(22|24)[-.]/) });
  });

  it('has the API image listen on every interface (the API itself defaults to 127.0.0.1)', () => {
    expect(readFileSync(join(root, 'apps/api/Dockerfile'), 'utf8')).toMatch(/^\s+HOST=0\.0\.0\.0 \\$/m);
  });

  it('bundles the API-key CLI the way the image does, and the bundle makes a key against a fresh store', () => {
    const dockerfile = readFileSync(join(root, 'apps/api/Dockerfile'), 'utf8').replace(/\\\n\s*/g, '');
    const command = /^RUN node node_modules\/esbuild\/bin\/esbuild (.+)$/m.exec(dockerfile)?.[1];
    expect(command).toBeDefined();
    // Inside the repository, like /app in the image: the bundle finds its packages in the node_modules above it.
    mkdirSync(join(root, 'dist'), { recursive: true });
    const out = mkdtempSync(join(root, 'dist', 'apikey-bundle-'));
    try {
      const args = (command as string).split(/\s+/).map((arg) => arg.replace('--outfile=dist/apps/api/apikey.js', `--outfile=${join(out, 'apikey.js')}`));
      execFileSync(process.execPath, [join(root, 'node_modules/esbuild/bin/esbuild'), ...args], { cwd: root });
      const created = spawnSync(process.execPath, [join(out, 'apikey.js'), 'create', '--name', 'first', '--scope', 'admin'], {
        cwd: root,
        env: { PATH: process.env['PATH'] ?? '', DATA_DIR: join(out, 'data') },
        encoding: 'utf8',
      });
      expect({ status: created.status, stderr: created.stderr }).toEqual({ status: 0, stderr: expect.stringContaining('Created API key') });
      expect(created.stdout.trim()).toMatch(/^spk_\S+$/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('scripts/image-pins.mjs (base images pinned by digest)', () => {
  it('lists every external FROM of the repository with ARG defaults filled in', () => {
    expect(images.length).toBeGreaterThanOrEqual(6);
    for (const entry of images) expect(entry.image).not.toMatch(/\$/);
    expect(images.map((entry) => entry.file)).toEqual(expect.arrayContaining(['model-container/Dockerfile', 'model-container/Dockerfile.cpu']));
  });

  it('--check fails on an unpinned FROM, ignores references to earlier stages, and passes once every FROM has a digest', () => {
    const tree = mkdtempSync(join(tmpdir(), 'image-pins-'));
    try {
      mkdirSync(join(tree, 'apps/demo'), { recursive: true });
      const digest = `sha256:${'a'.repeat(64)}`;
      const write = (first: string) =>
        writeFileSync(join(tree, 'apps/demo/Dockerfile'), `ARG V=22\nFROM ${first} AS build\nRUN true\nFROM build AS test\nFROM scratch\n`);
      write('node:${V}-bookworm');
      const unpinned = pins(['--check', '--json', '--root', tree]);
      expect(unpinned.status).toBe(1);
      expect(JSON.parse(unpinned.stdout)).toEqual([{ file: 'apps/demo/Dockerfile', line: 2, written: 'node:${V}-bookworm', image: 'node:22-bookworm', pinned: false }]);
      expect(unpinned.stderr).toContain('--pin');
      write(`node:\${V}-bookworm@${digest}`);
      expect(pins(['--check', '--root', tree]).status).toBe(0);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
