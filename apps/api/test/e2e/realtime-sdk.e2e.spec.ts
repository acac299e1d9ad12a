import { realModel, realModels } from '@speech/test-support';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { sileroWeights } from '@speech/test-support';
import { assertRealtimeServerEvent } from '../support/realtime-event-shapes';
import { type ApiProcess, startApi } from './support/api-process';
import { bytesPerSecond, JFK_WAV, normalizeText, RealtimeTestClient, realtimeAudio } from './support/realtime-client';
import { startTlsProxy, type TlsProxy } from './support/tls-proxy';

/**
 * The official `openai` SDK's realtime WebSocket client, unchanged but for its base URL and the trust of our test
 * certificate: it only speaks wss:, so the API is reached through TLS (support/tls-proxy.ts).
 */
describe('OpenAI SDK realtime client (wss) against /v1/realtime', () => {
  let api: ApiProcess;
  let tls: TlsProxy;

  beforeAll(async () => {
    api = await startApi({ WHISPER_MODEL: realModel(realModels(), 'tiny.en', 'ggml'), VAD_MODEL_PATH: sileroWeights(), JOB_WORKERS: '0' });
    tls = await startTlsProxy(Number(new URL(api.url).port));
  }, 240_000);

  afterAll(async () => {
    await tls?.close();
    await api?.stop();
  });

  it('session.update, appended G.711 A-law audio and server VAD turns, every event as the SDK types it', async () => {
    const client = new OpenAI({ apiKey: 'not-checked-in-local-mode', baseURL: `https://${tls.address}/v1`, maxRetries: 0 });
    const rt = new OpenAIRealtimeWS({ model: 'whisper-1', options: { ca: tls.certificate } }, client);
    const seen: OpenAI.Realtime.RealtimeServerEvent[] = [];
    const errors: unknown[] = [];
    rt.on('event', (event) => {
      assertRealtimeServerEvent(event);
      seen.push(event);
    });
    rt.on('error', (error) => errors.push(error));
    const completions: OpenAI.Realtime.ConversationItemInputAudioTranscriptionCompletedEvent[] = [];
    rt.on('conversation.item.input_audio_transcription.completed', (event) => completions.push(event));
    await new Promise<void>((resolve, reject) => {
      rt.socket.once('open', () => resolve());
      rt.socket.once('error', reject);
    });
    try {
      // Client events typed by the SDK: a wrong field fails to compile.
      rt.send({
        type: 'session.update',
        session: {
          type: 'transcription',
          audio: {
            input: {
              format: { type: 'audio/pcma' },
              transcription: { model: 'whisper-1', language: 'en' },
              turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
            },
          },
        },
      });
      const audio = Buffer.concat([realtimeAudio(JFK_WAV, 'g711_alaw'), Buffer.alloc(8_000 * 2, 0xd5)]); // 0xD5: A-law silence
      const chunk = bytesPerSecond('g711_alaw') / 10;
      for (let offset = 0; offset < audio.length; offset += chunk) {
        rt.send({ type: 'input_audio_buffer.append', audio: audio.subarray(offset, offset + chunk).toString('base64') });
      }
      // Every turn that started has ended in completed (or failed), and nothing more arrived for a while.
      const deadline = Date.now() + 100_000;
      let lastCount = -1;
      for (;;) {
        const started = seen.filter((e) => e.type === 'input_audio_buffer.speech_started').length;
        const ended = seen.filter((e) => e.type === 'conversation.item.input_audio_transcription.completed' || e.type === 'conversation.item.input_audio_transcription.failed').length;
        if (started > 0 && started === ended && seen.length === lastCount) break;
        if (Date.now() > deadline) throw new Error(`turns did not end: ${seen.map((e) => e.type).join(', ')}`);
        lastCount = seen.length;
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
      const turns = completions;
      expect(errors).toEqual([]);
      expect(seen[0]?.type).toBe('session.created');
      expect(seen[1]).toMatchObject({ type: 'session.updated', session: { type: 'transcription', audio: { input: { format: { type: 'audio/pcma' } } } } });
      expect(seen.filter((e) => e.type === 'input_audio_buffer.speech_started').length).toBe(turns.length);
      expect(normalizeText(turns.map((turn) => turn.transcript).join(' '))).toContain('ask not what your country can do for you');
      for (const turn of turns) expect(turn.usage).toMatchObject({ type: 'duration' });
    } finally {
      rt.close();
    }
  }, 120_000);

  it("a refused event comes back through the SDK's error channel with our stable code", async () => {
    const client = new OpenAI({ apiKey: 'not-checked-in-local-mode', baseURL: `https://${tls.address}/v1`, maxRetries: 0 });
    const rt = new OpenAIRealtimeWS({ model: 'whisper-1', options: { ca: tls.certificate } }, client);
    const error = new Promise<{ error?: { code?: string | null; param?: string | null; event_id?: string | null } }>((resolve) => rt.on('error', (e) => resolve(e as never)));
    await new Promise<void>((resolve) => rt.socket.once('open', () => resolve()));
    rt.send({ type: 'input_audio_buffer.commit', event_id: 'evt_sdk_1' });
    expect((await error).error).toMatchObject({ code: 'EMPTY_FILE', event_id: 'evt_sdk_1' });
    rt.close();
  });

  it('while keys are optional, a foreign web origin or host name cannot open a session (CSWSH, DNS rebinding)', async () => {
    const url = `${api.url.replace('http', 'ws')}/v1/realtime?intent=transcription`;
    await expect(RealtimeTestClient.open(url, { headers: { Origin: 'https://evil.example' } })).rejects.toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    await expect(RealtimeTestClient.open(url, { headers: { Host: 'evil.example' } })).rejects.toMatchObject({ status: 421, body: { error: { code: 'HOST_NOT_ALLOWED' } } });
    const own = await RealtimeTestClient.open(url, { headers: { Origin: api.url } });
    await own.close();
  });
});
