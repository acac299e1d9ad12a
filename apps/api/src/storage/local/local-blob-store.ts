import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, BlobNotFoundError, BlobStore } from '../blob-store.port';

/**
 * Blobs as files under one directory. Every write goes to a temporary name in the same folder and is
 * renamed into place, so readers (other processes included) see the old object or the new one, never half.
 */
export class LocalBlobStore extends BlobStore {
  readonly kind = 'local' as const;

  constructor(private readonly root: string) {
    super();
  }

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
  }

  async putFile(key: string, path: string): Promise<void> {
    await this.writeAtomically(key, (temp) => copyFile(path, temp));
  }

  async putBytes(key: string, bytes: Buffer | string): Promise<void> {
    await this.writeAtomically(key, (temp) => writeFile(temp, bytes));
  }

  async getToFile(key: string, path: string): Promise<void> {
    await pipeline(await this.openRead(key), createWriteStream(path));
  }

  async getBytes(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      throw notFound(error, key);
    }
  }

  async openRead(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      await stat(path);
    } catch (error) {
      throw notFound(error, key);
    }
    return createReadStream(path);
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    const keys = await this.list(prefix);
    await Promise.all(keys.map((key) => this.delete(key)));
    // Folders that held only these keys go too, so a purged job leaves nothing behind.
    if (prefix.endsWith('/')) await rm(this.pathOf(prefix), { recursive: true, force: true });
  }

  async list(prefix: string): Promise<string[]> {
    assertSafeKey(prefix || 'x');
    // Walk only the deepest folder the prefix names.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const start = join(this.root, folder);
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (!entry.name.startsWith('.tmp-')) keys.push(relative(this.root, full).split(sep).join('/'));
      }
    };
    await walk(start);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  async close(): Promise<void> {
    // nothing held open
  }

  private pathOf(key: string): string {
    assertSafeKey(key);
    return join(this.root, key);
  }

  private async writeAtomically(key: string, write: (temp: string) => Promise<void>): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const temp = join(dirname(target), `.tmp-${randomUUID()}`);
    try {
      await write(temp);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

function notFound(error: unknown, key: string): Error {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' ? new BlobNotFoundError(key) : (error as Error);
}
