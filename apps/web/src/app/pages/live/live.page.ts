import { DOCUMENT } from '@angular/common';
import { Component, computed, inject, type OnDestroy, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { ApiFailure } from '../../core/api/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { MicrophoneCapture, MicrophoneError, type MicrophoneProblem } from '../../core/realtime/microphone-capture';
import { RealtimeSession } from '../../core/realtime/realtime-session';
import { REALTIME_SOCKET, realtimeUrl } from '../../core/realtime/realtime-socket';
import { turnsToResult } from '../../core/realtime/turns-to-result';
import { SettingsStore } from '../../core/settings/settings.store';
import { ServiceStatusStore } from '../../core/status/service-status.store';
import { LocalTranscriptsStore } from '../../core/transcripts/local-transcripts.store';
import { ErrorMessage } from '../../shared/error-message/error-message';

/** Server VAD settings: OpenAI's defaults for server_vad. */
const VAD = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 };

/** Live transcription from the microphone over the Realtime WebSocket; the result can be kept as a transcript. */
@Component({
  selector: 'app-live-page',
  imports: [ErrorMessage],
  templateUrl: './live.page.html',
  styleUrl: './live.page.css',
})
export class LivePage implements OnDestroy {
  protected readonly i18n = inject(I18n);
  protected readonly microphone = inject(MicrophoneCapture);
  private readonly settings = inject(SettingsStore);
  private readonly service = inject(ServiceStatusStore);
  private readonly transcripts = inject(LocalTranscriptsStore);
  private readonly router = inject(Router);
  private readonly createSocket = inject(REALTIME_SOCKET);
  private readonly location = inject(DOCUMENT).location;

  protected readonly session = signal<RealtimeSession | undefined>(undefined);
  protected readonly recording = signal(false);
  protected readonly stopping = signal(false);
  protected readonly micProblem = signal<MicrophoneProblem | undefined>(undefined);
  protected readonly turns = computed(() => this.session()?.turns() ?? []);
  protected readonly failure = computed<ApiFailure | undefined>(() => this.session()?.error());
  protected readonly canSave = computed(
    () => !this.recording() && !this.stopping() && this.turns().some((turn) => (turn.final ?? turn.partial).trim() !== ''),
  );

  protected async start(): Promise<void> {
    this.micProblem.set(undefined);
    const session = new RealtimeSession(this.createSocket);
    this.session.set(session);
    try {
      await this.microphone.start((pcm) => session.append(pcm));
    } catch (error) {
      this.micProblem.set(error instanceof MicrophoneError ? error.problem : 'unsupported');
      this.session.set(undefined);
      return;
    }
    const model = this.service.status()?.engine.model ?? 'whisper-1';
    session.connect(realtimeUrl(this.location), this.settings.apiKey(), { model, vad: VAD });
    this.recording.set(true);
  }

  protected async stop(): Promise<void> {
    this.recording.set(false);
    this.stopping.set(true);
    await this.microphone.stop();
    await this.session()?.stop();
    this.stopping.set(false);
  }

  protected async save(): Promise<void> {
    const language = this.settings.language();
    const name = this.i18n.t('live.fileName', { time: new Date().toLocaleString(language) });
    const saved = this.transcripts.add(name, turnsToResult(this.turns(), language), undefined);
    await this.router.navigate(['/transcripts', saved.id]);
  }

  protected micMessage(problem: MicrophoneProblem): string {
    return this.i18n.t(`live.mic.${problem}`);
  }

  protected time(ms: number | undefined): string {
    if (ms === undefined) return '–';
    const seconds = ms / 1000;
    return `${Math.floor(seconds / 60)}:${(seconds % 60).toFixed(1).padStart(4, '0')}`;
  }

  ngOnDestroy(): void {
    if (this.recording()) void this.stop();
  }
}
