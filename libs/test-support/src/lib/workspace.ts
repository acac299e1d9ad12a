import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** The Nx workspace root (the folder holding nx.json), found from this file so any cwd works. */
export function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'nx.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** `<workspace>/.cache/<name>` (git-ignored), created on demand. */
export function workspaceCacheDir(name: string): string {
  const dir = path.join(workspaceRoot(), '.cache', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
