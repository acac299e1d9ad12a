import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { type ApiKeyRecord, ApiKeyStore } from '../storage/api-key-store.port';
import { parseApiKey, secretMatches } from './api-key';
import type { Principal } from './principal';
import { STORAGE_RETRY_AFTER_SECONDS, storageFault } from '../storage/faults/storage-faults';

/** Cache entries kept at most; unknown ids are cached too, so guessing ids does not reach the store each time. */
const MAX_CACHED = 10_000;
/** lastUsedAt is written at most this often per key. */
const TOUCH_EVERY_MS = 60_000;

interface Cached {
  readonly record: ApiKeyRecord | null;
  readonly until: number;
}

export const INVALID_KEY_MESSAGE = 'The API key was not accepted: it is malformed, unknown, revoked or mistyped.';

/**
 * Turns a presented key into a Principal. Lookups are cached for API_KEY_CACHE_SECONDS, which is therefore how long a
 * revoked key may still work on an instance that saw it recently. Only key ids are ever logged.
 */
/** How long "does any key exist?" (for the first-key hint) is remembered, whatever API_KEY_CACHE_SECONDS says. */
const ANY_KEY_CACHE_MIN_SECONDS = 30;

@Injectable()
export class ApiKeyVerifier {
  private readonly logger = new Logger('ApiKeys');
  private readonly cache = new Map<string, Cached>();
  private readonly touched = new Map<string, number>();
  private anyKey?: { readonly exists: boolean; readonly until: number };

  constructor(
    private readonly store: ApiKeyStore,
    private readonly config: AppConfig,
  ) {}

  /** The caller behind `presented`; throws UNAUTHORIZED for anything but a valid, unrevoked key. */
  async verify(presented: string): Promise<Principal> {
    const parsed = parseApiKey(presented);
    if (!parsed) throw this.refuse(null, 'malformed');
    const record = await this.lookup(parsed.keyId);
    if (!record) throw this.refuse(parsed.keyId, 'unknown key id');
    if (record.revokedAt !== null) throw this.refuse(parsed.keyId, 'revoked');
    if (!secretMatches(parsed.secret, record.hash)) throw this.refuse(parsed.keyId, 'wrong secret');
    this.touch(record.keyId);
    return { keyId: record.keyId, ownerId: record.keyId, scopes: new Set(record.scopes) };
  }

  /** Whether any unrevoked key exists, so a refusal can tell the operator to create the first one. */
  async anyActiveKey(): Promise<boolean> {
    const now = Date.now();
    if (this.anyKey && this.anyKey.until > now) return this.anyKey.exists;
    const exists = (await this.guarded(() => this.store.list())).some((key) => key.revokedAt === null);
    // Only a hint in a 401's message. "Some key exists" is remembered for at least 30 s even without a key cache, so
    // keyless requests cannot turn into a store listing each; "none yet" is re-checked (listing an empty store is
    // cheap) so the hint disappears as soon as the first key is made.
    const seconds = exists ? Math.max(ANY_KEY_CACHE_MIN_SECONDS, this.config.auth.cacheSeconds) : this.config.auth.cacheSeconds;
    this.anyKey = { exists, until: now + seconds * 1000 };
    return exists;
  }

  private async lookup(keyId: string): Promise<ApiKeyRecord | null> {
    const ttlMs = this.config.auth.cacheSeconds * 1000;
    const now = Date.now();
    const cached = this.cache.get(keyId);
    if (cached && cached.until > now) return cached.record;
    const record = await this.guarded(() => this.store.get(keyId));
    if (ttlMs > 0) {
      this.cache.delete(keyId);
      this.cache.set(keyId, { record, until: now + ttlMs });
      if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    }
    return record;
  }

  /**
   * A store outage is the server's problem, not the caller's: 503, never a misleading 401. Classified by the one
   * storage-fault mapping; anything else (a bug) is rethrown as it is and becomes a logged 500 with its stack.
   */
  private async guarded<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      const fault = storageFault(error, 'API key store');
      if (!fault) throw error;
      this.logger.error({ msg: 'API key store unavailable', error: error instanceof Error ? error.message : String(error) });
      throw new DomainError(fault.code, 'API keys cannot be checked right now: the key store is unavailable.', {}, fault.retryAfterSeconds ?? STORAGE_RETRY_AFTER_SECONDS);
    }
  }

  private touch(keyId: string): void {
    const now = Date.now();
    if (now - (this.touched.get(keyId) ?? 0) < TOUCH_EVERY_MS) return;
    this.touched.set(keyId, now);
    if (this.touched.size > MAX_CACHED) this.touched.delete(this.touched.keys().next().value as string);
    this.store.touch(keyId, now).catch((error: unknown) => {
      this.logger.warn({ msg: 'could not record key use', key_id: keyId, error: error instanceof Error ? error.message : String(error) });
    });
  }

  private refuse(keyId: string | null, reason: string): DomainError {
    this.logger.warn({ msg: 'API key refused', key_id: keyId, reason });
    return new DomainError('UNAUTHORIZED', INVALID_KEY_MESSAGE);
  }
}
