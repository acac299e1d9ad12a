/**
 * Ways a secret could show up in JSON log lines: as text (also JSON-escaped), or, for bytes, as hex, base64,
 * base64url, latin1 text (what a Buffer printed as a string looks like) and that text JSON-escaped.
 */
export function encodingsOf(secret: string | Buffer): Record<string, string> {
  if (typeof secret === 'string') return { text: secret, 'json-escaped text': JSON.stringify(secret).slice(1, -1) };
  const latin1 = secret.toString('latin1');
  return {
    hex: secret.toString('hex'),
    HEX: secret.toString('hex').toUpperCase(),
    base64: secret.toString('base64'),
    base64url: secret.toString('base64url'),
    latin1,
    'json-escaped latin1': JSON.stringify(latin1).slice(1, -1),
    'utf8 (lossy)': secret.toString('utf8'),
  };
}

/** "<label> as <encoding>" for every encoding of every secret found in `logs` (case-sensitive, exact). */
export function leaksIn(logs: string, secrets: Readonly<Record<string, string | Buffer>>): string[] {
  const found: string[] = [];
  for (const [label, secret] of Object.entries(secrets)) {
    for (const [encoding, text] of Object.entries(encodingsOf(secret))) {
      if (text.length > 0 && logs.includes(text)) found.push(`${label} as ${encoding}`);
    }
  }
  return found;
}

/** A 32-byte slice from the middle of a file: audio payload, not a header any file of the format shares. */
export function distinctiveSlice(bytes: Buffer): Buffer {
  const start = Math.max(0, Math.floor(bytes.length / 2) - 16);
  return bytes.subarray(start, start + 32);
}
