import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Opens (creating its folder) the SQLite file the job and API-key stores share, in WAL mode. Several API
 * processes on one machine may share it: another may hold the write lock for a moment, so wait instead of
 * failing with SQLITE_BUSY.
 */
export function openSqliteFile(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return db;
}
