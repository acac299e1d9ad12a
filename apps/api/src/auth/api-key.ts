import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `spk_<keyId>_<secret>`: a public 12-character id (letters and digits, so it never contains the
 * separator) and a 32-byte random secret in base64url. Only SHA-256(secret) is stored: a plain hash is enough
 * because the secret has 256 bits of entropy (nothing to brute-force), and it keeps every lookup cheap.
 */
export const API_KEY_PREFIX = 'spk_';
const KEY_ID_LENGTH = 12;
const SECRET_BYTES = 32;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const KEY_PATTERN = /^spk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  readonly keyId: string;
  readonly secret: string;
}

export interface NewApiKey extends ParsedApiKey {
  /** The whole key, shown once to the operator and never stored. */
  readonly key: string;
  readonly hash: string;
}

export function generateApiKey(): NewApiKey {
  const keyId = randomId(KEY_ID_LENGTH);
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { key: `${API_KEY_PREFIX}${keyId}_${secret}`, keyId, secret, hash: hashSecret(secret) };
}

/** Null when the text is not shaped like a key (wrong prefix, length or characters). */
export function parseApiKey(text: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(text);
  return match ? { keyId: match[1] as string, secret: match[2] as string } : null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of the presented secret's hash with the stored one. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** Key ids are public, but unpredictable ones keep a key's id from hinting at others. Unbiased (rejection sampling). */
function randomId(length: number): string {
  let id = '';
  const limit = 256 - (256 % ID_ALPHABET.length);
  while (id.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && id.length < length) id += ID_ALPHABET[byte % ID_ALPHABET.length];
    }
  }
  return id;
}

/** A key id as the CLI accepts it (so a typo is told apart from an unknown id). */
export function isKeyId(text: string): boolean {
  return new RegExp(`^[A-Za-z0-9]{${KEY_ID_LENGTH}}$`).test(text);
}
