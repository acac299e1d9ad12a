// Compiles whisper.cpp (the complete sources bundled in the npm package nodejs-whisper) together with our
// whisper-worker, for this machine's CPU, and caches the result under .cache/whisper-native/<key>/.
// Plain Node ESM with no dependencies: it runs before anything else is built (API start-up, CI, tests).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FLAVOURS = ['native', 'portable', 'cuda', 'vulkan'];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER_DIR = path.join(ROOT, 'apps/api/native/whisper-worker');
// Our fixes to whisper.cpp, applied to a copy of its sources before compiling (that folder's README says why).
const PATCH_DIR = path.join(ROOT, 'apps/api/native/whisper-patches');
const BINARIES = ['whisper-worker', 'whisper-cli', 'whisper-bench'];

// GGML_NATIVE compiles for the build machine's instruction set, so the CPU is part of the cache key.
// `portable` builds every CPU variant as a loadable backend and picks one at run time (images that move).
const FLAVOUR_FLAGS = {
  native: ['-DGGML_NATIVE=ON', '-DBUILD_SHARED_LIBS=OFF'],
  // GGML_BACKEND_DL needs shared libraries (ggml loads libggml-cpu-<variant>.so at run time).
  portable: ['-DGGML_NATIVE=OFF', '-DGGML_BACKEND_DL=ON', '-DGGML_CPU_ALL_VARIANTS=ON', '-DBUILD_SHARED_LIBS=ON'],
  cuda: ['-DGGML_NATIVE=ON', '-DGGML_CUDA=ON', '-DBUILD_SHARED_LIBS=OFF'],
  vulkan: ['-DGGML_NATIVE=ON', '-DGGML_VULKAN=ON', '-DBUILD_SHARED_LIBS=OFF'],
};

export function whisperCppDir() {
  return process.env.WHISPER_CPP_DIR ?? path.join(ROOT, 'node_modules/nodejs-whisper/cpp/whisper.cpp');
}

export function whisperCppVersion(dir = whisperCppDir()) {
  const cmake = fs.readFileSync(path.join(dir, 'CMakeLists.txt'), 'utf8');
  const match = /project\("whisper\.cpp"\s+VERSION\s+([\d.]+)\)/.exec(cmake);
  if (!match) throw new Error(`cannot read the whisper.cpp version from ${dir}/CMakeLists.txt`);
  return match[1];
}

function hashFiles(dir) {
  const hash = createHash('sha256');
  const walk = (d) => {
    for (const name of fs.readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else hash.update(path.relative(dir, full)).update('\0').update(fs.readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 10);
}

function cpuFlagsHash() {
  let flags = `${os.arch()}`;
  try {
    const line = /^flags\s*:(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    flags += line ? line[1].trim() : os.cpus()[0]?.model ?? '';
  } catch {
    flags += os.cpus()[0]?.model ?? ''; // not Linux: the CPU model is the best proxy we have
  }
  return createHash('sha256').update(flags).digest('hex').slice(0, 10);
}

/** The `.patch` files to apply to whisper.cpp, in order. */
export function whisperPatches() {
  if (!fs.existsSync(PATCH_DIR)) return [];
  return fs.readdirSync(PATCH_DIR).filter((name) => name.endsWith('.patch')).sort().map((name) => path.join(PATCH_DIR, name));
}

function patchesHash() {
  const hash = createHash('sha256');
  for (const file of whisperPatches()) hash.update(path.basename(file)).update('\0').update(fs.readFileSync(file));
  return hash.digest('hex').slice(0, 8);
}

export function resolveFlavour(flavour = process.env.WHISPER_BUILD ?? 'native') {
  if (!FLAVOURS.includes(flavour)) {
    throw new Error(`WHISPER_BUILD='${flavour}' is not one of ${FLAVOURS.join(', ')}`);
  }
  return flavour;
}

// The cmake tree is keyed by what forces a full rebuild (whisper.cpp version, flavour, CPU); our worker's
// sources are hashed into the manifest instead, so editing the worker costs an incremental rebuild of a few
// files rather than recompiling ggml.
export function buildKey(flavour) {
  const cpu = flavour === 'portable' ? 'any' : cpuFlagsHash();
  const extra = extraCmakeArgs();
  const extraKey = extra.length > 0 ? `-${createHash('sha256').update(extra.join(' ')).digest('hex').slice(0, 8)}` : '';
  // Patches change whisper.cpp itself, so they key the whole tree (a new patch recompiles ggml and whisper).
  const patchKey = whisperPatches().length > 0 ? `-p${patchesHash()}` : '';
  return `whisper-${whisperCppVersion()}-${flavour}-${cpu}${extraKey}${patchKey}`;
}

// Escape hatch for what the flavours cannot guess, e.g. a CUDA image built on a machine without a GPU:
// WHISPER_CMAKE_ARGS="-DCMAKE_CUDA_ARCHITECTURES=80;90". Part of the cache key.
function extraCmakeArgs() {
  return (process.env.WHISPER_CMAKE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

export function workerSourceHash() {
  return hashFiles(WORKER_DIR);
}

export function buildDir(flavour) {
  return path.join(process.env.WHISPER_NATIVE_CACHE ?? path.join(ROOT, '.cache/whisper-native'), buildKey(flavour));
}

/** The manifest of a finished build, or null when this flavour has not been built for this CPU/source. */
export function readManifest(flavour = resolveFlavour()) {
  const file = path.join(buildDir(flavour), 'build.json');
  if (!fs.existsSync(file)) return null;
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  const fresh = manifest.workerSourceHash === workerSourceHash();
  return fresh && Object.values(manifest.binaries).every((p) => fs.existsSync(p)) ? manifest : null;
}

function requireTools(flavour) {
  const missing = [];
  if (spawnSync('cmake', ['--version']).status !== 0) missing.push('cmake');
  const cxx = process.env.CXX ?? 'c++';
  if (spawnSync(cxx, ['--version']).status !== 0) missing.push(`a C++ compiler (${cxx}; e.g. g++)`);
  if (flavour === 'cuda' && spawnSync('nvcc', ['--version']).status !== 0) missing.push('nvcc (CUDA toolkit)');
  if (flavour === 'vulkan' && spawnSync('glslc', ['--version']).status !== 0) missing.push('glslc (Vulkan SDK)');
  if (missing.length > 0) {
    throw new Error(
      `cannot build whisper.cpp: missing ${missing.join(', ')}. ` +
        'On Debian/Ubuntu: apt-get install -y cmake g++ (plus the CUDA toolkit or libvulkan-dev glslc for those builds).',
    );
  }
}

function run(cmd, args, log) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    const onData = (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        // cmake --build prints "[ 42%] Building ..."; those lines are the progress worth showing.
        if (/^\[\s*\d+%\]|error|warning: unused|^--\s+(Found|CMAKE_BUILD_TYPE|Using|Including)/i.test(line)) log(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${tail.join('\n')}`)),
    );
  });
}

// Two processes (a test run and the API) may ask for the same build at once; the second waits.
async function withLock(dir, fn) {
  const lock = `${dir}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const owner = Number(fs.readFileSync(lock, 'utf8')) || 0;
      let alive = false;
      try {
        alive = owner > 0 && process.kill(owner, 0);
      } catch {
        alive = false;
      }
      if (!alive) fs.rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/**
 * The whisper.cpp tree to compile: the package's own when there are no patches, else a copy under the build's
 * folder with each patch applied (git apply, or patch where git is missing). A patch that no longer applies (a new
 * whisper.cpp version) stops the build with the patch's name: drop it if upstream has the fix, or port it.
 */
function patchedSources(srcDir, dir, log) {
  const patches = whisperPatches();
  if (patches.length === 0) return srcDir;
  const copy = path.join(dir, 'whisper.cpp-patched');
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(srcDir, copy, { recursive: true, filter: (from) => path.relative(srcDir, from).split(path.sep)[0] !== '.git' });
  // The copy lies inside our own repository: the ceiling keeps git from finding it, so git apply works as plain patch.
  const env = { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(copy) };
  for (const file of patches) {
    log(`applying ${path.basename(file)}`);
    const git = spawnSync('git', ['apply', '-p1', file], { cwd: copy, env, encoding: 'utf8' });
    if (git.status === 0) continue;
    const patch = spawnSync('patch', ['-p1', '--forward', '--batch', '-i', file], { cwd: copy, encoding: 'utf8' });
    if (patch.status !== 0) {
      const why = `${git.stderr ?? git.error?.message ?? ''} ${patch.stderr || patch.stdout || patch.error?.message || ''}`.trim();
      throw new Error(`${path.basename(file)} does not apply to whisper.cpp ${whisperCppVersion(srcDir)}: ${why}`);
    }
  }
  return copy;
}

/**
 * Returns the build manifest, compiling first when needed (minutes on a small machine; < 1 s when cached).
 * @param {{ flavour?: string, force?: boolean, log?: (line: string) => void }} [options]
 */
export async function ensureWhisperNative(options = {}) {
  const flavour = resolveFlavour(options.flavour);
  const log = options.log ?? ((line) => process.stderr.write(`[whisper-native] ${line}\n`));
  if (!options.force) {
    const cached = readManifest(flavour);
    if (cached) return cached;
  }
  const srcDir = whisperCppDir();
  if (!fs.existsSync(path.join(srcDir, 'include/whisper.h'))) {
    throw new Error(`whisper.cpp sources not found at ${srcDir}: run npm install (they come with nodejs-whisper)`);
  }
  requireTools(flavour);
  const dir = buildDir(flavour);
  return withLock(dir, async () => {
    const again = options.force ? null : readManifest(flavour);
    if (again) return again; // another process finished it while we waited

    const started = Date.now();
    const jobs = os.availableParallelism();
    const cmakeDir = path.join(dir, 'build');
    const sources = patchedSources(srcDir, dir, log);
    log(`building whisper.cpp ${whisperCppVersion()} (${flavour}) with ${jobs} jobs into ${dir}`);
    await run(
      'cmake',
      [
        '-S', WORKER_DIR, '-B', cmakeDir,
        '-DCMAKE_BUILD_TYPE=Release', `-DWHISPER_CPP_DIR=${sources}`, '-DGGML_OPENMP=ON',
        ...FLAVOUR_FLAGS[flavour],
        ...extraCmakeArgs(),
      ],
      log,
    );
    await run('cmake', ['--build', cmakeDir, '--config', 'Release', '-j', String(jobs), '--target', ...BINARIES], log);

    const binaries = Object.fromEntries(BINARIES.map((b) => [b, path.join(cmakeDir, 'bin', b)]));
    const manifest = {
      flavour,
      version: whisperCppVersion(),
      key: path.basename(dir),
      workerSourceHash: workerSourceHash(),
      binaries,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      builtAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(dir, 'build.json.tmp'), JSON.stringify(manifest, null, 2));
    fs.renameSync(path.join(dir, 'build.json.tmp'), path.join(dir, 'build.json'));
    log(`done in ${manifest.seconds} s`);
    return manifest;
  });
}
