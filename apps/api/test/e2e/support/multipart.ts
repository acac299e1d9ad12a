import { readFileSync } from 'node:fs';

export interface Part {
  readonly name: string;
  readonly value: string | Buffer;
  readonly filename?: string;
  readonly contentType?: string;
}

/** A multipart body built by hand, so tests control every byte: names, types, lies and truncation. */
export function multipartBody(parts: readonly Part[], boundary = `----e2e${Date.now().toString(16)}`): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.contentType ? `Content-Type: ${part.contentType}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value, 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function filePart(path: string, filename: string, contentType = 'application/octet-stream'): Part {
  return { name: 'file', value: readFileSync(path), filename, contentType };
}

/** Buffers are valid fetch bodies at run time; the DOM typings only lack the overload. */
export function asBody(buffer: Buffer): BodyInit {
  return buffer as unknown as BodyInit;
}

export async function postMultipart(url: string, parts: readonly Part[], headers: Record<string, string> = {}): Promise<Response> {
  const { body, contentType } = multipartBody(parts);
  return fetch(url, { method: 'POST', body: asBody(body), headers: { 'content-type': contentType, ...headers } });
}
