import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { ResolvedCallback } from './callback-url-policy';

export interface SendOutcome {
  readonly statusCode: number | null;
  readonly error?: string;
}

/**
 * POSTs one body to the already-checked address (the Host header and TLS name stay the URL's), without
 * following redirects, reading at most a little of the answer, within `timeoutMs`.
 */
export function sendWebhook(target: ResolvedCallback, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendOutcome> {
  const { url } = target;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      {
        host: target.address,
        family: target.family,
        port: url.port || (url.protocol === 'https:' ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        // TLS checks the certificate against the URL's name; SNI carries names only, never an address.
        ...(isIP(hostOf(url)) ? {} : { servername: hostOf(url) }),
        headers: { ...headers, host: url.host, 'content-length': String(Buffer.byteLength(body)) },
        timeout: timeoutMs,
      },
      (response) => {
        // The answer's body is irrelevant; drain it so the socket closes cleanly.
        response.resume();
        response.on('end', () => resolve({ statusCode: response.statusCode ?? null }));
        response.on('error', () => resolve({ statusCode: response.statusCode ?? null }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ statusCode: null, error: error.message }));
    req.end(body);
  });
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}
