import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { MicrophoneCapture, MicrophoneError } from '../../core/realtime/microphone-capture';
import { REALTIME_SOCKET } from '../../core/realtime/realtime-socket';
import { SettingsStore } from '../../core/settings/settings.store';
import { LocalTranscriptsStore } from '../../core/transcripts/local-transcripts.store';
import { LivePage } from './live.page';
import { FakeRealtimeSocket as FakeSocket } from '../../core/realtime/testing/fake-realtime-socket';

/** The microphone without hardware: the test pushes PCM batches through the sink the page gave it. */
class FakeMicrophone {
  readonly level = signal(0);
  sink?: (pcm: string) => void;
  failWith?: MicrophoneError;
  async start(sink: (pcm: string) => void): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sink = sink;
  }
  async stop(): Promise<void> {
    this.sink = undefined;
  }
}

describe('LivePage', () => {
  let socket: FakeSocket | undefined;
  let microphone: FakeMicrophone;

  beforeEach(() => {
    localStorage.clear();
    socket = undefined;
    microphone = new FakeMicrophone();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'transcripts/:id', children: [] }]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MicrophoneCapture, useValue: microphone },
        { provide: REALTIME_SOCKET, useValue: (url: string, protocols: string[]) => (socket = new FakeSocket(url, protocols)) },
      ],
    });
    TestBed.inject(SettingsStore).setLanguage('en');
    TestBed.inject(SettingsStore).setApiKey('sk-live');
  });

  async function render() {
    const fixture = TestBed.createComponent(LivePage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const click = async (testId: string) => {
      (element.querySelector(`[data-testid="${testId}"]`) as HTMLButtonElement).click();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    return { fixture, element, click };
  }

  it('streams the microphone, shows deltas lightly, firms them up, and saves the turns as a transcript', async () => {
    const { fixture, element, click } = await render();
    await click('live-start');
    if (!socket) throw new Error('no socket opened');
    expect(socket.url).toBe('ws://localhost/v1/realtime?intent=transcription');
    expect(socket.protocols).toEqual(['realtime', 'openai-insecure-api-key.sk-live']);
    socket.open();
    microphone.sink?.('AAAA');
    expect(socket.sent.map((event) => event.type)).toEqual(['session.update', 'input_audio_buffer.append']);

    socket.serve({ type: 'input_audio_buffer.speech_started', item_id: 'i1', audio_start_ms: 500 });
    socket.serve({ type: 'input_audio_buffer.speech_stopped', item_id: 'i1', audio_end_ms: 2750 });
    socket.serve({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'i1', delta: 'Ask not' });
    fixture.detectChanges();
    expect(element.querySelector('[data-testid="live-partial"]')?.textContent).toBe('Ask not');
    expect(element.querySelector('[data-testid="live-turn"]')?.textContent).toContain('0:00.5 – 0:02.8');

    socket.serve({ type: 'conversation.item.input_audio_transcription.completed', item_id: 'i1', transcript: 'Ask not what your country can do.' });
    fixture.detectChanges();
    expect(element.querySelector('[data-testid="live-partial"]')).toBeNull();
    expect(element.querySelector('[data-testid="live-turn"].final')?.textContent).toContain('Ask not what your country can do.');
    expect((element.querySelector('[data-testid="live-save"]') as HTMLButtonElement).disabled).toBe(true);

    await click('live-stop');
    expect(socket.sent.at(-1)?.type).toBe('input_audio_buffer.commit');
    socket.serve({ type: 'input_audio_buffer.committed', item_id: 'i2' });
    socket.serve({ type: 'conversation.item.input_audio_transcription.completed', item_id: 'i2', transcript: '' });
    await fixture.whenStable();
    fixture.detectChanges();

    await click('live-save');
    const id = TestBed.inject(Router).url.split('/').at(-1) ?? '';
    const saved = TestBed.inject(LocalTranscriptsStore).get(id);
    expect(saved?.result).toEqual({
      text: 'Ask not what your country can do.',
      language: 'en',
      duration: 2.75,
      segments: [{ id: 0, start: 0.5, end: 2.75, text: 'Ask not what your country can do.' }],
    });
  });

  it('explains a denied microphone and opens no connection', async () => {
    microphone.failWith = new MicrophoneError('denied');
    const { element, click } = await render();
    await click('live-start');
    expect(element.querySelector('[data-testid="live-mic-problem"]')?.textContent).toContain('Microphone access was denied');
    expect(socket).toBeUndefined();
  });

  it('shows a server error through the error message component', async () => {
    const { fixture, element, click } = await render();
    await click('live-start');
    socket?.open();
    socket?.serve({ type: 'error', error: { type: 'invalid_request_error', code: 'UNAUTHORIZED', message: 'A valid API key is required.' } });
    fixture.detectChanges();
    expect(element.querySelector('[data-testid="error"]')?.textContent).toContain('A valid API key is required.');
  });
});
