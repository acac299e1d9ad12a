import type { Prng } from './prng';

export const MULTIPART_MUTATIONS = [
  'boundary-mismatch',
  'boundary-missing',
  'boundary-duplicated',
  'no-final-boundary',
  'content-length-short',
  'content-length-long',
  'huge-header-line',
  'odd-disposition',
  'extra-file-fields',
  'wrong-content-type',
  'chunked',
  'garbage-body',
  'early-close',
] as const;
export type MultipartMutation = (typeof MULTIPART_MUTATIONS)[number];

/**
 * How the request as sent ends: `complete` — its framing is whole, an answer must come; `incomplete` — the server
 * waits for bytes that never come, so the client half-closes and no answer is fine; `abort` — the client hangs up.
 */
export type Framing = 'complete' | 'incomplete' | 'abort';

export interface RawRequest {
  readonly kind: MultipartMutation;
  readonly detail: string;
  readonly bytes: Buffer;
  readonly framing: Framing;
}

interface Part {
  readonly headers: string[];
  readonly body: Buffer;
}

/** One hand-broken multipart request to `path`, carrying `audio` (a short valid clip) where it carries a file. */
export function mutateMultipart(path: string, audio: Buffer, random: Prng, kind: MultipartMutation = random.pick(MULTIPART_MUTATIONS)): RawRequest {
  const boundary = `----fuzz${random.int(1e9).toString(36)}`;
  const file: Part = { headers: ['Content-Disposition: form-data; name="file"; filename="clip.wav"', 'Content-Type: audio/wav'], body: audio };
  const language: Part = { headers: ['Content-Disposition: form-data; name="language"'], body: Buffer.from('en') };
  const contentType = `multipart/form-data; boundary=${boundary}`;
  const send = (body: Buffer, detail: string, options: { type?: string | null; headers?: string[]; length?: number; framing?: Framing } = {}): RawRequest => {
    const headers = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
    if (options.type !== null) headers.push(`Content-Type: ${options.type ?? contentType}`);
    headers.push(...(options.headers ?? [`Content-Length: ${options.length ?? body.length}`]));
    const head = Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1');
    return { kind, detail, bytes: Buffer.concat([head, body]), framing: options.framing ?? 'complete' };
  };
  const whole = encode(boundary, [language, file]);

  switch (kind) {
    case 'boundary-mismatch':
      return send(encode(`${boundary}X`, [language, file]), 'body uses another boundary');
    case 'boundary-missing':
      return send(whole, 'no boundary parameter', { type: random.pick(['multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=""']) });
    case 'boundary-duplicated':
      return random.chance(0.5)
        ? send(whole, 'two boundary parameters', { type: `${contentType}; boundary=other${boundary}` })
        : send(Buffer.concat([Buffer.from(`--${boundary}\r\n--${boundary}\r\n`), whole]), 'delimiter line repeated');
    case 'no-final-boundary': {
      const cut = whole.length - `--${boundary}--\r\n`.length - random.int(3);
      return send(whole.subarray(0, cut), 'no closing delimiter');
    }
    case 'content-length-short': {
      const length = random.int(whole.length);
      return send(whole, `Content-Length ${length} of ${whole.length}`, { length });
    }
    case 'content-length-long': {
      const extra = random.between(1, 100_000);
      return send(whole, `Content-Length ${whole.length + extra} of ${whole.length}`, { length: whole.length + extra, framing: 'incomplete' });
    }
    case 'huge-header-line': {
      const size = random.between(8_000, 200_000);
      const filler = 'a'.repeat(size);
      return random.chance(0.5)
        ? send(encode(boundary, [language, { ...file, headers: [...file.headers, `X-Filler: ${filler}`] }]), `part header of ${size} bytes`)
        : send(whole, `HTTP header of ${size} bytes`, { headers: [`X-Filler: ${filler}`, `Content-Length: ${whole.length}`] });
    }
    case 'odd-disposition': {
      const [detail, disposition] = random.pick(ODD_DISPOSITIONS);
      const part: Part = { headers: [disposition.toString('latin1'), 'Content-Type: audio/wav'], body: audio };
      return send(encodeRaw(boundary, [language, part]), detail);
    }
    case 'extra-file-fields': {
      const extras = random.between(1, 45);
      const other = random.pick(['file', 'audio', 'file[]', 'files', '']);
      const parts = [file, ...Array.from({ length: extras }, () => ({ ...file, headers: [`Content-Disposition: form-data; name="${other}"; filename="x.wav"`, 'Content-Type: audio/wav'] }))];
      return send(encode(boundary, random.chance(0.5) ? parts : parts.reverse()), `${extras} extra file parts named "${other}"`);
    }
    case 'wrong-content-type': {
      const type = random.pick(['text/plain', 'application/json', 'application/x-www-form-urlencoded', 'multipart/mixed; boundary=' + boundary, 'audio/wav', 'application/octet-stream', null]);
      return send(whole, `Content-Type ${type ?? 'absent'}`, { type });
    }
    case 'chunked':
      return chunked(whole, random, send);
    case 'garbage-body': {
      const noise = random.bytes(random.between(1, 65_536));
      return send(random.chance(0.5) ? noise : Buffer.concat([whole.subarray(0, random.int(whole.length)), noise]), `${noise.length} noise bytes`);
    }
    case 'early-close': {
      const request = send(whole, '');
      const keep = random.between(1, request.bytes.length - 1);
      return { kind, detail: `client hangs up after ${keep} of ${request.bytes.length} bytes`, bytes: request.bytes.subarray(0, keep), framing: 'abort' };
    }
  }
}

const ODD_DISPOSITIONS: ReadonlyArray<readonly [string, Buffer]> = [
  ['no name', Buffer.from('Content-Disposition: form-data; filename="clip.wav"')],
  ['no filename (the file as a text field)', Buffer.from('Content-Disposition: form-data; name="file"')],
  ['path traversal', Buffer.from('Content-Disposition: form-data; name="file"; filename="../../../../tmp/fuzz-escape.wav"')],
  ['absolute path', Buffer.from('Content-Disposition: form-data; name="file"; filename="/etc/passwd"')],
  ['NUL bytes', Buffer.from('Content-Disposition: form-data; name="file"; filename="a\u0000b.wav\u0000"')],
  ['non-UTF-8 bytes', Buffer.concat([Buffer.from('Content-Disposition: form-data; name="file"; filename="'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe9]), Buffer.from('.wav"')])],
  ['RFC 5987 filename*', Buffer.from("Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%F0%9F%8E%99%00.wav")],
  ['unbalanced quote', Buffer.from('Content-Disposition: form-data; name="file; filename="clip.wav')],
  ['empty filename', Buffer.from('Content-Disposition: form-data; name="file"; filename=""')],
  ['10 KB filename', Buffer.from(`Content-Disposition: form-data; name="file"; filename="${'n'.repeat(10_000)}.wav"`)],
  ['not form-data', Buffer.from('Content-Disposition: attachment; name="file"; filename="clip.wav"')],
  ['no disposition', Buffer.from('X-Nothing: here')],
  ['name with CRLF-like junk', Buffer.from('Content-Disposition: form-data; name="fi\rle"; filename="c.wav"')],
];

function chunked(whole: Buffer, random: Prng, send: (body: Buffer, detail: string, options: { headers?: string[]; framing?: 'complete' | 'incomplete' }) => RawRequest): RawRequest {
  const chunks: Buffer[] = [];
  for (let at = 0; at < whole.length; ) {
    const size = random.between(1, 16_384);
    const data = whole.subarray(at, at + size);
    chunks.push(Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n'));
    at += size;
  }
  const end = Buffer.from('0\r\n\r\n');
  const te = ['Transfer-Encoding: chunked'];
  switch (random.int(6)) {
    case 0:
      return send(Buffer.concat([...chunks, end]), 'valid chunked', { headers: te });
    case 1:
      return send(Buffer.concat(chunks), 'no last chunk', { headers: te, framing: 'incomplete' });
    case 2: {
      const at = 3 * random.int(chunks.length / 3);
      chunks[at] = Buffer.from(random.pick(['zz\r\n', '-1\r\n', 'ffffffffffffffff\r\n', ' 10\r\n', '\r\n']));
      return send(Buffer.concat([...chunks, end]), 'bad chunk size line', { headers: te, framing: 'incomplete' });
    }
    case 3:
      return send(Buffer.concat([...chunks, end]), 'Transfer-Encoding and Content-Length together', { headers: [...te, `Content-Length: ${random.int(whole.length)}`] });
    case 4: {
      const at = 3 * random.int(chunks.length / 3);
      chunks[at] = Buffer.from(`${(chunks[at + 1]?.length ?? 1).toString(16)};ext="${'e'.repeat(random.between(1, 20_000))}"\r\n`);
      return send(Buffer.concat([...chunks, end]), 'chunk extension', { headers: te, framing: 'incomplete' });
    }
    default: {
      const at = 3 * random.int(chunks.length / 3);
      const declared = (chunks[at + 1]?.length ?? 1) + random.between(1, 100);
      chunks[at] = Buffer.from(`${declared.toString(16)}\r\n`);
      return send(Buffer.concat([...chunks, end]), 'chunk size larger than its data', { headers: te, framing: 'incomplete' });
    }
  }
}

function encode(boundary: string, parts: readonly Part[]): Buffer {
  return encodeRaw(boundary, parts.map((part) => ({ headers: part.headers, body: part.body })));
}

function encodeRaw(boundary: string, parts: readonly Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) chunks.push(Buffer.from(`--${boundary}\r\n${part.headers.join('\r\n')}\r\n\r\n`, 'latin1'), part.body, Buffer.from('\r\n'));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
