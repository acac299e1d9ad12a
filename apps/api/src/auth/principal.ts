import type { ApiKeyScope } from '@speech/contracts';

/**
 * Who is calling, resolved once per request by the AuthGuard (auth/auth.guard.ts) and stored on the request as
 * `req.principal`. Everything downstream (scope checks, job ownership, per-key rate limits) reads only this.
 */
export interface Principal {
  /** The API key's public id; null for an anonymous caller (allowed only when keys are optional). */
  readonly keyId: string | null;
  /** Owner of the jobs this caller creates and may see: the key id, or ANONYMOUS_OWNER. */
  readonly ownerId: string;
  readonly scopes: ReadonlySet<ApiKeyScope>;
}

export { ANONYMOUS_OWNER } from '../common/anonymous-owner';

declare module 'http' {
  interface IncomingMessage {
    principal?: Principal;
  }
}
