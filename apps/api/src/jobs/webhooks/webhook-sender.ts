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
 * following redirects. `timeoutMs` is an absolute deadline for the whole exchange — connect, TLS, sending, the
 * status line and headers, and the answer's body — so a receiver that accepts and then trickles (or never answers)
 * is cut off at it. The answer's body is read and dropped; a body that does not end by the deadline fails the attempt.
 */
export function sendWebhook(target: ResolvedCallback, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendOutcome> {
  const { url } = target;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(outcome);
    };
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
        // Never reuse a socket: one receiver's connection state cannot leak into another delivery.
        agent: false,
      },
      (response) => {
        const statusCode = response.statusCode ?? null;
        // The answer's body is irrelevant; drain it so the socket closes cleanly.
        response.resume();
        response.on('end', () => settle({ statusCode }));
        response.on('error', (error) => settle({ statusCode, error: `the answer broke off: ${error.message}` }));
        response.on('close', () => settle({ statusCode, error: 'the answer broke off before its end' }));
      },
    );
    const deadline = setTimeout(() => {
      const error = new Error(`no answer within ${timeoutMs} ms (connect, headers and body)`);
      settle({ statusCode: null, error: error.message });
      req.destroy(error);
    }, timeoutMs);
    req.on('error', (error) => settle({ statusCode: null, error: error.message }));
    req.end(body);
  });
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}
