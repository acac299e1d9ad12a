import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallbackUrlPolicy, type Resolver } from './callback-url-policy';
import { sendWebhook } from './webhook-sender';

interface Hit {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A real HTTP server on one loopback address that records what reaches it and answers what `answer` says. */
async function listen(host: string, port: number, answer: (hit: Hit) => { status: number; location?: string }): Promise<{ server: Server; hits: Hit[]; port: number }> {
  const hits: Hit[] = [];
  const server = createServer((request, response) => {
    const hit = { url: request.url ?? '', headers: request.headers };
    hits.push(hit);
    request.resume();
    request.on('end', () => {
      const { status, location } = answer(hit);
      if (location) response.setHeader('Location', location);
      response.statusCode = status;
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return { server, hits, port: (server.address() as AddressInfo).port };
}

const close = (server?: Server) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

/**
 * The delivery side of the SSRF guard, against real sockets: the request goes to the address the policy checked
 * (never to a second DNS answer), and a redirect is reported, not followed.
 */
describe('sendWebhook (real receivers on loopback)', () => {
  let receiver: Awaited<ReturnType<typeof listen>>;
  let trap: Awaited<ReturnType<typeof listen>>;
  let answers: Array<{ status: number; location?: string }> = [];

  beforeAll(async () => {
    receiver = await listen('127.0.0.1', 0, () => answers.shift() ?? { status: 200 });
    // Same port on another loopback address: where a re-resolved name or a followed redirect would land.
    trap = await listen('127.0.0.2', receiver.port, () => ({ status: 200 }));
  });

  afterAll(async () => {
    await close(receiver?.server);
    await close(trap?.server);
  });

  beforeEach(() => {
    receiver.hits.length = 0;
    trap.hits.length = 0;
    answers = [];
  });

  it('connects only to the address checked, even when the name answers differently afterwards (DNS rebinding)', async () => {
    const calls: string[] = [];
    const rebinding: Resolver = async (host) => {
      calls.push(host);
      // First answer: the allowed receiver. Every later one: another address, which must never be dialled.
      return [{ address: calls.length === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    };
    const policy = new CallbackUrlPolicy(['127.0.0.1'], [], rebinding);
    const target = await policy.check(`http://rebind.test:${receiver.port}/hooks?x=1`);
    expect(target).toMatchObject({ address: '127.0.0.1', family: 4 });

    const outcome = await sendWebhook(target, '{"ok":true}', { 'content-type': 'application/json' }, 5000);

    expect(outcome).toEqual({ statusCode: 200 });
    expect(receiver.hits).toEqual([expect.objectContaining({ url: '/hooks?x=1', headers: expect.objectContaining({ host: `rebind.test:${receiver.port}` }) })]);
    expect(trap.hits).toHaveLength(0);
    // One resolution, by the policy; the sender dialled the address (an unknown name would have failed to resolve).
    expect(calls).toEqual(['rebind.test']);
    // The second check, which the deliverer runs before every attempt, sees the new answer and refuses it.
    await expect(policy.check(`http://rebind.test:${receiver.port}/hooks`)).rejects.toMatchObject({ code: 'CALLBACK_URL_REJECTED' });
  });

  it.each([301, 302, 303, 307, 308])('reports a %i redirect to a private address without following it', async (status) => {
    answers = [{ status, location: `http://127.0.0.2:${receiver.port}/steal` }];
    const policy = new CallbackUrlPolicy(['127.0.0.1'], [], async () => []);
    const outcome = await sendWebhook(await policy.check(`http://127.0.0.1:${receiver.port}/hooks`), '{}', {}, 5000);
    expect(outcome).toEqual({ statusCode: status });
    expect(receiver.hits).toHaveLength(1);
    expect(trap.hits).toHaveLength(0);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const target = { url: new URL(`http://127.0.0.1:${port}/x`), address: '127.0.0.1', family: 4 as const };
      const outcome = await sendWebhook(target, '{}', {}, 300);
      expect(outcome).toEqual({ statusCode: null, error: 'no answer within 300 ms (connect, headers and body)' });
    } finally {
      silent.closeAllConnections();
      await close(silent);
    }
  });
});

/** The absolute deadline: a receiver that accepts and then trickles, or never answers, is cut at it. */
describe('sendWebhook deadline (real slow receivers on loopback)', () => {
  let server: Server;
  let port = 0;
  const timers = new Set<NodeJS.Timeout>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      if (request.url === '/silent') return; // reads the body, never answers
      if (request.url === '/trickle-headers') {
        // Headers never complete: one header byte per 100 ms, under any idle timeout.
        response.socket?.write('HTTP/1.1 200 OK\r\n');
        const timer = setInterval(() => response.socket?.write('X-Slow: a\r\n'), 100);
        timers.add(timer);
        response.socket?.on('close', () => clearInterval(timer));
        return;
      }
      // '/trickle-body': 200 and headers at once, then the body one byte per 100 ms, forever.
      response.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => response.write('.'), 100);
      timers.add(timer);
      response.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const timer of timers) clearInterval(timer);
    server.closeAllConnections();
    await close(server);
  });

  it.each(['/silent', '/trickle-headers', '/trickle-body'])('cuts %s at the deadline and reports a failure', async (path) => {
    const policy = new CallbackUrlPolicy(['127.0.0.1'], []);
    const target = await policy.check(`http://127.0.0.1:${port}${path}`);
    const started = Date.now();
    const outcome = await sendWebhook(target, '{}', {}, 600);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(550);
    expect(took).toBeLessThan(3000);
    expect(outcome.error).toMatch(/within 600 ms/);
    expect(outcome.statusCode).toBeNull();
  });
});
