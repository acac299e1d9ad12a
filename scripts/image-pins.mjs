#!/usr/bin/env node
// Base images of every Dockerfile, and whether each is pinned by digest (image:tag@sha256:…).
//   node scripts/image-pins.mjs            list every FROM (file:line, image, pinned or not)
//   node scripts/image-pins.mjs --json     the same as JSON (tests read it)
//   node scripts/image-pins.mjs --check    exit 1 while any FROM is not pinned by digest (for CI once pinned)
//   node scripts/image-pins.mjs --pin      resolve each unpinned tag with `docker buildx imagetools inspect` and write
//                                          `image:tag@sha256:…` into the Dockerfile (needs Docker and registry access)
//   --root <dir>                           another tree (default: this repository)
// A digest is never typed by hand: --pin asks the registry, and Renovate (or a rerun of --pin) moves it on later.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIGEST = /@sha256:[0-9a-f]{64}$/;
const DOCKERFILE_DIRS = ['apps', 'model-container'];

/** Every Dockerfile under apps/*, model-container (Dockerfile, Dockerfile.cpu, …; not *.dockerignore). */
export function findDockerfiles(root) {
  const found = [];
  const visit = (dir, depth) => {
    if (!existsSync(dir) || depth > 2) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') visit(full, depth + 1);
      else if (entry.isFile() && /^Dockerfile(\.[a-z0-9-]+)?$/i.test(entry.name) && !entry.name.endsWith('.dockerignore')) found.push(full);
    }
  };
  for (const dir of DOCKERFILE_DIRS) visit(path.join(root, dir), 0);
  return found.sort();
}

/** The external base images of one Dockerfile: ARG defaults substituted, references to earlier stages left out. */
export function baseImages(text) {
  const args = {};
  const stages = new Set();
  const images = [];
  text.split('\n').forEach((line, index) => {
    const arg = /^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?/i.exec(line);
    if (arg && arg[2] !== undefined && !(arg[1] in args)) args[arg[1]] = arg[2].replace(/^["']|["']$/g, '');
    const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!from) return;
    const written = from[1];
    const image = written.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name) => args[name] ?? '');
    if (!stages.has(image) && image !== 'scratch') images.push({ line: index + 1, written, image, pinned: DIGEST.test(image) });
    if (from[2]) stages.add(from[2]);
  });
  return images;
}

export function report(root) {
  return findDockerfiles(root).flatMap((file) =>
    baseImages(readFileSync(file, 'utf8')).map((image) => ({ file: path.relative(root, file), ...image })),
  );
}

/** Writes `image@sha256:…` for each unpinned FROM, asking the registry for the digest of its tag. */
function pin(root) {
  for (const file of findDockerfiles(root)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const image of baseImages(lines.join('\n')).filter((entry) => !entry.pinned)) {
      const digest = execFileSync('docker', ['buildx', 'imagetools', 'inspect', image.image, '--format', '{{json .Manifest.Digest}}'], { encoding: 'utf8' })
        .trim()
        .replace(/"/g, '');
      if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`no digest for ${image.image}: ${digest}`);
      lines[image.line - 1] = lines[image.line - 1].replace(image.written, `${image.written}@${digest}`);
      process.stderr.write(`${path.relative(root, file)}:${image.line} ${image.image}@${digest}\n`);
    }
    writeFileSync(file, lines.join('\n'));
  }
}

function main() {
  const argv = process.argv.slice(2);
  const rootIndex = argv.indexOf('--root');
  const root = rootIndex >= 0 ? path.resolve(argv[rootIndex + 1]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  if (argv.includes('--pin')) pin(root);
  const images = report(root);
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(images, null, 2)}\n`);
  else for (const image of images) process.stdout.write(`${image.pinned ? 'pinned  ' : 'UNPINNED'} ${image.file}:${image.line} ${image.image}\n`);
  const unpinned = images.filter((image) => !image.pinned);
  if (argv.includes('--check') && unpinned.length > 0) {
    process.stderr.write(`${unpinned.length} base image(s) not pinned by digest: run \`node scripts/image-pins.mjs --pin\` where Docker can reach the registries.\n`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
