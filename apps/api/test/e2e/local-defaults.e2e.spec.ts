import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { connectionRefused } from './support/raw-http';
import { type ApiProcess, startApi } from './support/api-process';

/** What `npm start` does with nothing configured: loopback only, the real address in the log, known Host names only. */
describe('safe local defaults (built API)', () => {
  describe('no HOST, keys optional', () => {
    let api: ApiProcess;
    beforeAll(async () => {
      api = await startApi({ HOST: undefined, ALLOWED_HOSTS: 'speech.lan, Console.Example:8443', JOB_WORKERS: '0' });
    }, 120_000);
    afterAll(async () => api?.stop());

    it('binds 127.0.0.1 and logs that address', async () => {
      expect(listeningLine(api)).toMatchObject({ address: '127.0.0.1', port: Number(new URL(api.url).port) });
      // Not reachable on the machine's other addresses.
      const others = externalIPv4();
      for (const address of others) expect(await connectionRefused(Number(new URL(api.url).port), address)).toBe(true);
    });

    it('answers 421 HOST_NOT_ALLOWED to a foreign Host header, naming the variable to set', async () => {
      const refused = await get(api, '/status', 'rebind.attacker.example');
      expect(refused.status).toBe(421);
      expect(refused.body).toMatchObject({ code: 'HOST_NOT_ALLOWED', variable: 'ALLOWED_HOSTS', request_id: expect.any(String) });
      expect((refused.body as { detail: string }).detail).toContain('ALLOWED_HOSTS');
      // Under /v1 in OpenAI's shape.
      const openAi = await get(api, '/v1/audio/transcriptions', 'rebind.attacker.example');
      expect(openAi).toMatchObject({ status: 421, body: { error: { code: 'HOST_NOT_ALLOWED' } } });
    });

    it('answers the loopback names and the configured ones; probes on /health pass whatever the Host', async () => {
      const port = new URL(api.url).port;
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'speech.lan', 'SPEECH.LAN:80', 'console.example']) {
        expect({ host, status: (await get(api, '/status', host)).status }).toEqual({ host, status: 200 });
      }
      expect((await get(api, '/health', '10.0.3.17:8080')).status).toBe(200);
      expect((await get(api, '/health/live', '10.0.3.17:8080')).status).toBe(200);
    });
  });

  describe('HOST=0.0.0.0, keys required', () => {
    let api: ApiProcess;
    beforeAll(async () => {
      api = await startApi({ HOST: '0.0.0.0', API_KEYS_REQUIRED: 'true', JOB_WORKERS: '0' });
    }, 120_000);
    afterAll(async () => api?.stop());

    it('logs the address it really bound (0.0.0.0), not 127.0.0.1', () => {
      expect(listeningLine(api)).toMatchObject({ address: '0.0.0.0', url: expect.stringMatching(/^http:\/\/0\.0\.0\.0:\d+$/) });
    });

    it('leaves Host to the operator once keys are required (a rebinding page has no key): 401, not 421', async () => {
      const answer = await get(api, '/status', 'speech.example.com');
      expect(answer.status).toBe(401);
    });
  });
});

function listeningLine(api: ApiProcess): Record<string, unknown> {
  const line = api.output.map((text) => safeJson(text)).find((entry) => entry?.['msg'] === 'listening');
  if (!line) throw new Error(`no 'listening' log line:\n${api.output.slice(-10).join('\n')}`);
  return line;
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function externalIPv4(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)
    .map((entry) => (entry as { address: string }).address);
}

/** GET with a chosen Host header (fetch does not let a caller set it). */
function get(api: ApiProcess, path: string, host: string): Promise<{ status: number; body: unknown }> {
  const url = new URL(api.url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: url.hostname, port: url.port, path, headers: { host } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
