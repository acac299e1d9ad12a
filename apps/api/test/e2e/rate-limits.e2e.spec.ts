import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AudioFixture, sileroWeights, speechFixture, workspaceRoot } from '@speech/test-support';
import OpenAI, { RateLimitError } from 'openai';
import { type ApiProcess, startApi } from './support/api-process';
import { RealtimeTestClient } from './support/realtime-client';

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Requests until the first 429 (at most `max`); the number that passed and the refusal. */
async function untilLimited(url: string, headers: () => Record<string, string> = () => ({}), max = 50): Promise<{ passed: number; refusal: Answer }> {
  for (let passed = 0; passed < max; passed += 1) {
    const answer = await get(url, headers());
    if (answer.status === 429) return { passed, refusal: answer };
    expect(answer.status).toBe(200);
  }
  throw new Error(`no 429 after ${max} requests`);
}

let counter = 0;
/** A different client address each call (documentation ranges), as a spoofer or a fleet of clients would send. */
const nextAddress = () => `198.51.100.${(counter += 1) % 250}`;

/** Per-address and per-key limits of the built API, as a client sees them over HTTP. */
describe('rate limits (built API)', () => {
  let fixture: AudioFixture;

  beforeAll(() => {
    fixture = speechFixture('Rate limits.');
  });

  describe('per client address, TRUST_PROXY=0 (the default: the socket address is the client)', () => {
    let api: ApiProcess;

    beforeAll(async () => {
      api = await startApi({ RATE_LIMIT_PER_IP: '5' });
    }, 120_000);

    afterAll(async () => api?.stop());

    it('advertises the budget on every answer and refuses the 6th request with 429 RATE_LIMITED in problem+json', async () => {
      const answers = await Promise.all([1, 2, 3, 4, 5].map(() => get(`${api.url}/status`)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(answers.map((a) => Number(a.headers.get('ratelimit-remaining'))).sort()).toEqual([0, 1, 2, 3, 4]);
      expect(answers[0]?.headers.get('ratelimit-limit')).toBe('5');
      expect(answers[0]?.headers.get('ratelimit-policy')).toBe('5;w=60');

      const refused = await fetch(`${api.url}/status`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const retryAfter = refused.headers.get('retry-after') ?? '';
      expect(retryAfter).toMatch(/^\d+$/);
      // 5 per minute: one request every 12 s.
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(12);
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      expect(Number(refused.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(Number(retryAfter));
      const body = (await refused.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ status: 429, code: 'RATE_LIMITED', limit_per_minute: 5, limit_scope: 'ip' });
      expect(body['request_id']).toBe(refused.headers.get('x-request-id'));
    });

    it('never limits the health probes, and does not count them', async () => {
      await untilLimited(`${api.url}/status`);
      const probes = await Promise.all([...Array(20).keys()].map((i) => get(`${api.url}/health${i % 2 ? '/live' : ''}`)));
      expect(probes.map((p) => p.status)).toEqual(Array(20).fill(200));
      expect(probes.every((p) => p.headers.get('ratelimit-limit') === null)).toBe(true);
    });

    it('ignores X-Forwarded-For: a spoofed address per request does not open fresh buckets', async () => {
      const { passed } = await untilLimited(`${api.url}/status`, () => ({ 'x-forwarded-for': nextAddress() }));
      expect(passed).toBeLessThanOrEqual(5);
    });

    it('answers 429 in OpenAI\'s shape under /v1, which the official SDK raises as RateLimitError', async () => {
      await untilLimited(`${api.url}/status`);
      const client = new OpenAI({ apiKey: 'sk-local', baseURL: `${api.url}/v1`, maxRetries: 0 });
      const error = await client.audio.transcriptions
        .create({ file: createReadStream(fixture.mp3), model: 'whisper-1' })
        .then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      const limited = error as RateLimitError;
      expect(limited.status).toBe(429);
      expect(limited.code).toBe('RATE_LIMITED');
      expect(limited.type).toBe('rate_limit_error');
      expect(Number(limited.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });
  });

  describe('per client address behind one trusted proxy (TRUST_PROXY=1)', () => {
    let api: ApiProcess;

    beforeAll(async () => {
      api = await startApi({ RATE_LIMIT_PER_IP: '3', TRUST_PROXY: '1' });
    }, 120_000);

    afterAll(async () => api?.stop());

    it('keys the bucket on the address the proxy appended, so clients behind it do not share one', async () => {
      const alice = nextAddress();
      const bob = nextAddress();
      // What an ALB forwards: whatever the client claimed, then the address it saw; only the last hop is trusted.
      const viaProxy = (client: string) => () => ({ 'x-forwarded-for': `10.9.9.9, ${client}` });
      expect((await untilLimited(`${api.url}/status`, viaProxy(alice))).passed).toBe(3);
      expect((await untilLimited(`${api.url}/status`, viaProxy(bob))).passed).toBe(3);
      // Alice cannot escape by claiming another address before the proxy's entry.
      expect((await get(`${api.url}/status`, { 'x-forwarded-for': `${nextAddress()}, ${alice}` })).status).toBe(429);
    });

    it('puts the addresses of one IPv6 /64 in one bucket', async () => {
      const prefix = `2001:db8:${(counter += 1).toString(16)}:1`;
      const { passed } = await untilLimited(`${api.url}/status`, () => ({ 'x-forwarded-for': `${prefix}::${(counter += 1).toString(16)}` }));
      expect(passed).toBe(3);
    });
  });

  describe('per API key (RATE_LIMIT_PER_KEY, after authentication)', () => {
    let api: ApiProcess;
    let tmpDir: string;
    let keyA: string;
    let keyB: string;

    beforeAll(async () => {
      tmpDir = mkdtempSync(join(tmpdir(), 'api-e2e-keys-'));
      const dataDir = join(tmpDir, 'data');
      const create = (name: string) => {
        const run = spawnSync('npm', ['run', '--silent', 'apikey', '--', 'create', '--name', name, '--scope', 'jobs:read'], {
          cwd: workspaceRoot(),
          env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpDir, DATA_DIR: dataDir },
          encoding: 'utf8',
        });
        if (run.status !== 0) throw new Error(`apikey create failed: ${run.stderr}`);
        return run.stdout.trim();
      };
      keyA = create('limited-a');
      keyB = create('limited-b');
      api = await startApi({ API_KEYS_REQUIRED: 'true', RATE_LIMIT_PER_KEY: '4', RATE_LIMIT_PER_IP: '12', TRUST_PROXY: '1' }, { tmpDir, dataDir });
    }, 120_000);

    afterAll(async () => {
      await api?.stop();
      rmSync(tmpDir, { recursive: true, force: true });
    });

    it('shares one bucket between all addresses using a key, separate from other keys and from failed attempts', async () => {
      const jobs = `${api.url}/api/v1/jobs`;
      // Wrong keys are refused by authentication before the key limit; they cost only their address's budget.
      const wrong = await get(jobs, { authorization: 'Bearer sk-not-a-key', 'x-forwarded-for': nextAddress() });
      expect(wrong.status).toBe(401);

      const { passed, refusal } = await untilLimited(jobs, () => ({ authorization: `Bearer ${keyA}`, 'x-forwarded-for': nextAddress() }));
      expect(passed).toBe(4);
      expect(refusal.body).toMatchObject({ code: 'RATE_LIMITED', limit_scope: 'key', limit_per_minute: 4 });
      expect(refusal.headers.get('ratelimit-limit')).toBe('4');
      expect(Number(refusal.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

      const other = await get(jobs, { 'x-api-key': keyB, 'x-forwarded-for': nextAddress() });
      expect(other.status).toBe(200);
    });

    it('shows the limit closest to running out when both apply', async () => {
      const address = nextAddress();
      const answer = await get(`${api.url}/api/v1/jobs`, { 'x-api-key': keyB, 'x-forwarded-for': address });
      expect(answer.status).toBe(200);
      // keyB has 4 − 2 = 2 left; the fresh address has 11 of 12: the key's budget is the one shown.
      expect(answer.headers.get('ratelimit-limit')).toBe('4');
      expect(answer.headers.get('ratelimit-remaining')).toBe('2');
    });
  });

  describe('realtime sessions: the WebSocket handshake counts against the same per-address budget', () => {
    let api: ApiProcess;

    beforeAll(async () => {
      api = await startApi({ RATE_LIMIT_PER_IP: '2', VAD_MODEL_PATH: sileroWeights() });
    }, 120_000);

    afterAll(async () => api?.stop());

    it("a session and a request use the minute's budget of 2; the next handshake is refused with 429 RATE_LIMITED", async () => {
      const wsUrl = `${api.url.replace('http', 'ws')}/v1/realtime?intent=transcription`;
      const session = await RealtimeTestClient.open(wsUrl);
      await session.close();
      expect((await fetch(`${api.url}/v1/models`)).status).toBe(200);
      await expect(RealtimeTestClient.open(wsUrl)).rejects.toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
    });
  });
});

