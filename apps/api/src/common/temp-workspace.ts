import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const PREFIX = 'req-';

/** A private folder per request for the upload and its decoded audio; removed whole when the request ends. */
export class TempWorkspace {
  private constructor(readonly path: string) {}

  static async create(root: string): Promise<TempWorkspace> {
    const path = join(root, `${PREFIX}${process.pid}-${randomUUID()}`);
    await mkdir(path, { recursive: true, mode: 0o700 });
    return new TempWorkspace(path);
  }

  file(name: string): string {
    return join(this.path, name);
  }

  async dispose(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}

/**
 * Remove request folders left behind by processes that no longer run (a crash, a kill -9).
 * Folders of live processes sharing the same root are left alone. Returns how many were removed.
 */
export async function purgeStaleWorkspaces(root: string): Promise<number> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const entries = await readdir(root, { withFileTypes: true });
  const stale = entries.filter(
    (entry) => entry.isDirectory() && entry.name.startsWith(PREFIX) && !isAlive(ownerPid(entry.name)),
  );
  await Promise.all(stale.map((entry) => rm(join(root, entry.name), { recursive: true, force: true })));
  return stale.length;
}

/**
 * At shutdown, once no request or job runs any more: remove this process's own request folders. A request's folder
 * is removed when its observable finalizes, which can come after its response has finished and so after the drain
 * counted it done; the process must not exit with that removal still pending.
 */
export async function removeOwnWorkspaces(root: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return 0;
  }
  const own = names.filter((name) => name.startsWith(PREFIX) && ownerPid(name) === process.pid);
  await Promise.all(own.map((name) => rm(join(root, name), { recursive: true, force: true })));
  return own.length;
}

export async function countWorkspaces(root: string): Promise<number> {
  try {
    const entries = await readdir(root);
    return entries.filter((name) => name.startsWith(PREFIX)).length;
  } catch {
    return 0;
  }
}

function ownerPid(folder: string): number {
  return Number.parseInt(folder.slice(PREFIX.length).split('-')[0] ?? '', 10);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false; // our own leftovers cannot be in use before we start serving
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
