import { createHash } from 'node:crypto';
import { generateApiKey, hashSecret, isKeyId, parseApiKey, secretMatches } from './api-key';

describe('API key format', () => {
  it('makes spk_<12-char id>_<43-char base64url secret> keys that parse back to their parts', () => {
    const keys = Array.from({ length: 200 }, () => generateApiKey());
    for (const { key, keyId, secret, hash } of keys) {
      expect(key).toMatch(/^spk_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
      expect(key).toBe(`spk_${keyId}_${secret}`);
      expect(parseApiKey(key)).toEqual({ keyId, secret });
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
      expect(hash).toBe(createHash('sha256').update(secret).digest('hex'));
      expect(isKeyId(keyId)).toBe(true);
    }
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(200);
    expect(new Set(keys.map((k) => k.secret)).size).toBe(200);
  });

  it('refuses anything not shaped like a key', () => {
    const { key, keyId, secret } = generateApiKey();
    for (const bad of ['', 'spk_', key.slice(0, -1), `${key}x`, key.replace('spk_', 'sk-'), `spk_${keyId.slice(1)}__${secret}`, `spk_${keyId}-${secret}`, ` ${key}`, `spk_${keyId}_${secret.slice(0, 42)}!`]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });

  it('matches a secret only against its own hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(secretMatches(a.secret, a.hash)).toBe(true);
    expect(secretMatches(b.secret, a.hash)).toBe(false);
    expect(secretMatches(a.secret, 'abcd')).toBe(false);
    expect(secretMatches(a.secret, '')).toBe(false);
    expect(hashSecret(a.secret)).toBe(a.hash);
  });
});
