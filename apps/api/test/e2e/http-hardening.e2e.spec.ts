import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { workspaceRoot } from '@speech/test-support';
import { type Browser, chromium } from 'playwright-core';
import { type ApiProcess, startApi } from './support/api-process';

const CONSOLE_ORIGIN = 'https://console.example.com';

/**
 * A stand-in for the built console with exactly what Angular's production build puts in index.html: critical CSS
 * inlined, the stylesheet loaded by `onload="this.media='all'"`, and an external module script. Plus one inline
 * handler the CSP must block, so the test proves the policy is enforced, not merely present.
 */
function writeConsoleStandIn(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html><head><title>console</title>
<style>body{margin:0}</style><link rel="stylesheet" href="styles.css" media="print" onload="this.media='all'">
</head><body><img src="data:image/png;base64,AAAA" onerror="window.injected=true" alt="">
<p id="styled">styled</p><script src="main.js" type="module"></script></body></html>`,
  );
  writeFileSync(join(dir, 'styles.css'), '#styled { color: rgb(1, 2, 3); }');
  writeFileSync(join(dir, 'main.js'), 'window.mainRan = true;');
}

/** Body limits, security headers and CORS of the built API, over HTTP and in a real browser. */
describe('HTTP hardening (built API)', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    api = await startApi({ JSON_BODY_LIMIT: '16kb', CORS_ORIGINS: `${CONSOLE_ORIGIN},http://localhost:4200`, TRUST_PROXY: '1' });
  }, 120_000);

  afterAll(async () => api?.stop());

  const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${api.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  describe('JSON and form bodies', () => {
    it('refuses a body over JSON_BODY_LIMIT with 413 PAYLOAD_TOO_LARGE in problem+json, and closes the connection', async () => {
      const response = await postJson('/api/v1/jobs/any/retry', JSON.stringify({ pad: 'x'.repeat(20_000) }));
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('connection')).toBe('close');
      expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413, limit_bytes: 16 * 1024 });
    });

    it('answers OpenAI\'s error shape for the same refusal under /v1', async () => {
      const response = await postJson('/v1/audio/transcriptions', JSON.stringify({ pad: 'x'.repeat(20_000) }));
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        error: { message: expect.stringContaining('16384 bytes') as string, type: 'invalid_request_error', param: null, code: 'PAYLOAD_TOO_LARGE' },
      });
    });

    it.each([
      ['malformed JSON', '{"model": ', {}, 'body'],
      ['a charset other than UTF-8', '{}', { 'content-type': 'application/json; charset=iso-8859-1' }, 'content-type'],
      ['an unknown Content-Encoding', '{}', { 'content-encoding': 'snappy' }, 'content-encoding'],
    ])('refuses %s with 400 INVALID_OPTION naming the culprit, and stays up', async (_name, body, headers, param) => {
      const response = await postJson('/api/v1/jobs/any/retry', body, headers);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'INVALID_OPTION', param });
      expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
    });

    it('still accepts a body under the limit (the route answers, not the parser)', async () => {
      const response = await postJson('/api/v1/jobs/no-such-job/retry', JSON.stringify({ pad: 'x'.repeat(8_000) }));
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
    });
  });

  describe("requests Node's parser refuses (limits/client-errors.ts)", () => {
    /** Sends raw bytes on a fresh socket and reads until the server closes it. */
    const rawExchange = (bytes: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect(Number(new URL(api.url).port), '127.0.0.1', () => socket.end(bytes));
        let answer = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk: string) => (answer += chunk));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    const parse = (answer: string) => {
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      return { statusLine: head.split('\r\n')[0], head, body: JSON.parse(body) as Record<string, unknown> };
    };

    it('answers a broken request line with 400 MALFORMED_REQUEST in problem+json and a request id', async () => {
      const { statusLine, head, body } = parse(await rawExchange('GARBAGE\x01 / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
      expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(head).toMatch(/X-Request-Id: [0-9a-f-]{36}/);
      expect(body).toMatchObject({ code: 'MALFORMED_REQUEST', status: 400, request_id: expect.any(String) });
    });

    it("answers oversized headers with 431 HEADERS_TOO_LARGE, in OpenAI's shape for a /v1 route", async () => {
      const { statusLine, body } = parse(await rawExchange(`POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`));
      expect(statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
      expect(body).toEqual({ error: { message: expect.any(String) as string, type: 'invalid_request_error', param: null, code: 'HEADERS_TOO_LARGE' } });
    });

    it('answers broken chunked framing with 400 MALFORMED_REQUEST and stays up', async () => {
      const { body } = parse(await rawExchange('POST /transcribe HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Type: multipart/form-data; boundary=b\r\n\r\nzz\r\nnope\r\n'));
      expect(body).toMatchObject({ code: 'MALFORMED_REQUEST' });
      expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
    });
  });

  describe('security headers', () => {
    it('sends helmet\'s headers and a CSP that allows only this origin\'s scripts', async () => {
      const response = await fetch(`${api.url}/status`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-powered-by')).toBeNull();
    });

    it('sends HSTS only for requests that arrived over HTTPS (through the trusted proxy)', async () => {
      expect((await fetch(`${api.url}/status`)).headers.get('strict-transport-security')).toBeNull();
      const viaTls = await fetch(`${api.url}/status`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(viaTls.headers.get('strict-transport-security')).toBe('max-age=31536000');
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/api/v1/jobs`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,x-api-key,idempotency-key' },
      });

    it('lets a listed origin send POST with its key and an Idempotency-Key, without credentials', async () => {
      const response = await preflight(CONSOLE_ORIGIN);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',');
      expect(allowed).toEqual(expect.arrayContaining(['authorization', 'x-api-key', 'idempotency-key']));
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('gives any other origin no Access-Control-Allow-Origin, on the preflight or the request', async () => {
      expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
      const simple = await fetch(`${api.url}/status`, { headers: { origin: 'https://evil.example' } });
      expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('lets the listed origin read the request id and the rate-limit headers', async () => {
      const response = await fetch(`${api.url}/status`, { headers: { origin: 'http://localhost:4200' } });
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:4200');
      const exposed = (response.headers.get('access-control-expose-headers') ?? '').toLowerCase();
      for (const name of ['x-request-id', 'retry-after', 'ratelimit-remaining', 'ratelimit-reset']) expect(exposed).toContain(name);
    });

    it('refuses to start in production with CORS_ORIGINS=*', () => {
      const run = spawnSync(process.execPath, [join(workspaceRoot(), 'dist/apps/api/main.js')], {
        env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', CORS_ORIGINS: '*', PORT: '0' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('CORS_ORIGINS: `*` is not allowed when NODE_ENV=production');
    });
  });

  describe('in Chromium, under the CSP', () => {
    let browser: Browser;
    let withConsole: ApiProcess;

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
      const webDist = join(api.tmpDir, 'console-stand-in');
      writeConsoleStandIn(webDist);
      withConsole = await startApi({ WEB_DIST: webDist });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await withConsole?.stop();
    });

    async function open(url: string) {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.goto(url);
      return { page, violations };
    }

    it('runs Swagger UI: the operations render and nothing is blocked', async () => {
      const { page, violations } = await open(`${api.url}/api/docs`);
      await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
      expect(await page.locator('.opblock').count()).toBeGreaterThan(5);
      expect(violations).toEqual([]);
      await page.close();
    });

    it('runs the console\'s scripts and its stylesheet loader, and blocks any other inline handler', async () => {
      const { page, violations } = await open(withConsole.url);
      await page.waitForFunction(() => (window as unknown as { mainRan?: boolean }).mainRan === true);
      await page.waitForFunction(() => getComputedStyle(document.getElementById('styled') as HTMLElement).color === 'rgb(1, 2, 3)');
      expect(await page.evaluate(() => document.querySelector('link[rel=stylesheet]')?.getAttribute('media'))).toBe('all');
      expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
      expect(violations).toEqual([expect.stringMatching(/script-src-attr/)]);
      await page.close();
    });
  });
});
