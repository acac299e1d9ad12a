import { DomainError } from './domain-error';

/** A full disk frees up more slowly than a store comes back. */
export const DISK_FULL_RETRY_AFTER_SECONDS = 30;

/** The file system said it is full (ENOSPC, or a quota: EDQUOT). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** This server's own disk (TMP_DIR) is full: the client may retry, here later or on another instance. */
export function insufficientStorage(): DomainError {
  return new DomainError('INSUFFICIENT_STORAGE', undefined, {}, DISK_FULL_RETRY_AFTER_SECONDS);
}
