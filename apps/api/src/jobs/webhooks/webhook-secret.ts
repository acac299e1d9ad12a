import { createHmac } from 'node:crypto';

/** Fixed context of the derivation, so the same WEBHOOK_SECRET keyed elsewhere never yields these secrets. */
const DERIVATION_CONTEXT = 'speech-platform webhook signing secret v1';

/**
 * The secret that signs one owner's webhooks: `whsec_<hex HMAC-SHA256(WEBHOOK_SECRET, context NUL ownerId)>`.
 * Each API key (owner) has its own, so a tenant that knows its secret cannot sign a webhook that another tenant's
 * receiver would accept. Derived, not stored: the same on every instance, shown again on request
 * (GET /api/v1/webhooks/secret), and all rotated at once by changing WEBHOOK_SECRET.
 */
export function webhookSecretFor(masterSecret: string, ownerId: string): string {
  return `whsec_${createHmac('sha256', masterSecret).update(`${DERIVATION_CONTEXT}\0${ownerId}`).digest('hex')}`;
}
