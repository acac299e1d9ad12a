import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { workspaceRoot } from '@speech/test-support';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type WebSocket, WebSocketServer } from 'ws';
import { CHROMIUM_PATH, VIEWPORTS } from './support/browser';

jest.setTimeout(180_000);

/**
 * PROTOCOL-LEVEL test of the console's Live page, not of the server: the built console is served by a small
 * in-test HTTP server whose `/v1/realtime` WebSocket records what the page sends and answers with scripted
 * Realtime transcription events. The microphone is Chromium's fake capture device playing real speech (JFK).
 * The end-to-end run against the real API's Realtime endpoint comes once that side exists.
 */
const root = workspaceRoot();
const CONSOLE = path.join(root, 'dist/apps/web/browser');
const JFK = path.join(root, 'node_modules/nodejs-whisper/cpp/whisper.cpp/bindings/go/samples/jfk.wav');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.ico': 'image/x-icon' };

interface Recorded {
  protocols: string[];
  events: { type: string; audio?: string }[];
  socket?: WebSocket;
}

/** Serves the built console (SPA fallback to index.html) and the scripted Realtime WebSocket on one origin. */
function startProtocolServer(recorded: Recorded): Promise<Server> {
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://x').pathname;
    const file = path.join(CONSOLE, path.normalize(pathname));
    const target = file.startsWith(CONSOLE) && existsSync(file) && path.extname(file) ? file : path.join(CONSOLE, 'index.html');
    if (pathname.startsWith('/v1/') || pathname === '/status' || pathname === '/health') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream' }).end(readFileSync(target));
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (!request.url?.startsWith('/v1/realtime?intent=transcription')) {
      socket.destroy();
      return;
    }
    recorded.protocols = String(request.headers['sec-websocket-protocol'] ?? '').split(/,\s*/);
    sockets.handleUpgrade(request, socket, head, (ws) => {
      recorded.socket = ws;
      ws.send(JSON.stringify({ type: 'session.created', session: { type: 'transcription' } }));
      ws.on('message', (data) => {
        const event = JSON.parse(String(data)) as { type: string; audio?: string };
        recorded.events.push(event);
        if (event.type === 'session.update') ws.send(JSON.stringify({ type: 'session.updated', session: { type: 'transcription' } }));
        if (event.type === 'input_audio_buffer.commit') {
          ws.send(JSON.stringify({ type: 'input_audio_buffer.committed', item_id: 'item_2', previous_item_id: 'item_1' }));
          ws.send(JSON.stringify({ type: 'conversation.item.input_audio_transcription.completed', item_id: 'item_2', transcript: 'Ask not.' }));
        }
      });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const send = (recorded: Recorded, event: Record<string, unknown>) => recorded.socket?.send(JSON.stringify(event));

/** Waits (bounded) for a condition on what the server recorded. */
async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function pcmRms(base64: string): number {
  const bytes = Buffer.from(base64, 'base64');
  let sum = 0;
  for (let offset = 0; offset + 1 < bytes.length; offset += 2) sum += bytes.readInt16LE(offset) ** 2;
  return Math.sqrt(sum / Math.max(1, bytes.length / 2));
}

describe('console Live page speaks the Realtime transcription protocol (protocol-level, scripted server)', () => {
  const recorded: Recorded = { protocols: [], events: [] };
  let server: Server;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(path.join(CONSOLE, 'index.html'))) throw new Error(`build the console first: ${CONSOLE} is missing`);
    server = await startProtocolServer(recorded);
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${JFK}`],
    });
    const { port } = server.address() as AddressInfo;
    page = await (await browser.newContext({ viewport: VIEWPORTS.desktop, baseURL: `http://127.0.0.1:${port}` })).newPage();
    await page.addInitScript(() => localStorage.setItem('speech.apiKey', 'sk-e2e-key'));
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('streams PCM16 24 kHz speech after session.update, renders deltas, firms them up and saves a transcript', async () => {
    await page.goto('/live');
    const started = Date.now();
    await page.getByTestId('live-start').click();
    await until(() => recorded.events.filter((event) => event.type === 'input_audio_buffer.append').length >= 30, 'three seconds of appends');

    expect(recorded.protocols).toEqual(['realtime', 'openai-insecure-api-key.sk-e2e-key']);
    expect(recorded.events[0]).toMatchObject({ type: 'session.update', session: { type: 'transcription', audio: { input: { format: { type: 'audio/pcm', rate: 24000 } } } } });
    const appends = recorded.events.filter((event) => event.type === 'input_audio_buffer.append').map((event) => event.audio ?? '');
    // 100 ms of 24 kHz PCM16 = 2,400 samples = 4,800 bytes per append
    expect(appends.every((audio) => Buffer.from(audio, 'base64').length === 4800)).toBe(true);
    const seconds = (appends.length * 2400) / 24000;
    const elapsed = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(elapsed * 0.5);
    expect(seconds).toBeLessThan(elapsed * 1.2);
    // JFK's speech, not silence: loud 100 ms frames exist (PCM16 RMS above ~-40 dBFS)
    expect(Math.max(...appends.map(pcmRms))).toBeGreaterThan(300);

    send(recorded, { type: 'input_audio_buffer.speech_started', item_id: 'item_1', audio_start_ms: 320 });
    send(recorded, { type: 'input_audio_buffer.speech_stopped', item_id: 'item_1', audio_end_ms: 4100 });
    send(recorded, { type: 'input_audio_buffer.committed', item_id: 'item_1', previous_item_id: null });
    send(recorded, { type: 'conversation.item.input_audio_transcription.delta', item_id: 'item_1', delta: 'And so, my fellow' });
    await page.locator('[data-testid="live-partial"]', { hasText: 'And so, my fellow' }).waitFor();
    send(recorded, { type: 'conversation.item.input_audio_transcription.completed', item_id: 'item_1', transcript: 'And so, my fellow Americans.' });
    await page.locator('[data-testid="live-turn"].final', { hasText: 'And so, my fellow Americans.' }).waitFor();
    expect(await page.getByTestId('live-partial').count()).toBe(0);

    await page.getByTestId('live-stop').click();
    await page.locator('[data-testid="live-turn"].final', { hasText: 'Ask not.' }).waitFor();
    await page.locator('[data-testid="live-save"]:enabled').waitFor();
    expect(recorded.events.at(-1)?.type).toBe('input_audio_buffer.commit');

    await page.getByTestId('live-save').click();
    await page.waitForURL(/\/transcripts\//);
    await page.getByText('And so, my fellow Americans.').first().waitFor();
    await page.getByText('Ask not.').first().waitFor();
  });
});
