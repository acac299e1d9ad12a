import { DOCUMENT } from '@angular/common';
import { Component, computed, DestroyRef, effect, ElementRef, inject, input, output, signal, viewChild } from '@angular/core';
import type { TranscriptionResult } from '@speech/contracts';
import { I18n } from '../../core/i18n/i18n.service';
import type { SubtitleOptions } from '@speech/transcript-formats';
import { DOWNLOAD_FORMATS, type DownloadFormat, type DownloadRequest } from '../../core/transcripts/download-files';
import type { SpeakerNames } from '../../core/transcripts/speaker-names';
import { QualityBadge } from '../quality-badge/quality-badge';
import { SpeakerLegend, type SpeakerRename } from '../speaker-legend/speaker-legend';
import { legendSpeakers } from '../speaker-legend/speaker-palette';
import { SubtitleOptionsForm } from '../subtitle-options/subtitle-options';
import { activeSegmentAt, activeWordAt, countHits, segmentParts, type ViewSegment, viewSegments } from './transcript-parts';

/**
 * A transcript with its audio: clicking a segment seeks the player there, the playing segment (and
 * word, when the transcript has words) is highlighted as the audio plays, search marks hits, and the
 * text can be copied or downloaded (the page decides how a download is made). Diarized transcripts show
 * each speaker's name and colour, with a legend where speakers are renamed (the page keeps the names);
 * suspicious segments carry badges and can be hidden.
 */
@Component({
  selector: 'app-transcript-view',
  imports: [SubtitleOptionsForm, SpeakerLegend, QualityBadge],
  templateUrl: './transcript-view.html',
  styleUrl: './transcript-view.css',
})
export class TranscriptView {
  protected readonly i18n = inject(I18n);
  private readonly document = inject(DOCUMENT);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  readonly result = input.required<TranscriptionResult>();
  readonly audioUrl = input<string | undefined>(undefined);
  /** Names given to the speakers (by the legend, kept by the page). */
  readonly speakerNames = input<SpeakerNames>({});
  readonly download = output<DownloadRequest>();
  readonly renameSpeaker = output<SpeakerRename>();

  protected readonly formats = DOWNLOAD_FORMATS;
  protected readonly player = viewChild<ElementRef<HTMLAudioElement>>('player');
  protected readonly currentTime = signal(0);
  protected readonly playing = signal(false);
  protected readonly query = signal('');
  protected readonly copyState = signal<'idle' | 'copied' | 'failed'>('idle');
  /** Subtitle rules for SRT/VTT downloads; undefined: one cue per segment. */
  protected readonly subtitles = signal<SubtitleOptions | undefined>(undefined);
  private readonly matchCursor = signal(-1);

  protected readonly hideFlagged = signal(false);
  protected readonly segments = computed(() => viewSegments(this.result()));
  protected readonly flaggedCount = computed(() => this.segments().filter((s) => s.flags.length > 0).length);
  /** What the list shows; search counts only these. */
  protected readonly shown = computed(() => (this.hideFlagged() ? this.segments().filter((s) => s.flags.length === 0) : this.segments()));
  protected readonly legend = computed(() => legendSpeakers(this.result(), this.speakerNames()));
  protected readonly speakerOf = computed(() => new Map(this.legend().map((speaker) => [speaker.id, speaker])));
  protected readonly active = computed(() => activeSegmentAt(this.segments(), this.currentTime()));
  protected readonly activeWord = computed(() => activeWordAt(this.active(), this.currentTime()));
  protected readonly hits = computed(() => countHits(this.shown().map((s) => s.text + '\n').join(''), this.query()));
  protected readonly matchingIds = computed(() =>
    this.query().trim() ? this.shown().filter((s) => countHits(s.text, this.query()) > 0).map((s) => s.id) : [],
  );
  protected readonly currentMatch = computed(() => this.matchingIds()[this.matchCursor()]);

  private frame: number | undefined;

  constructor() {
    // Keep the playing segment in view while the audio plays (not while the person scrolls a paused transcript).
    effect(() => {
      const active = this.active();
      if (!active || !this.playing()) return;
      this.segmentElement(active.id)?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
    });
    inject(DestroyRef).onDestroy(() => this.stopLoop());
  }

  protected partsOf(segment: ViewSegment) {
    return segmentParts(segment, this.query());
  }

  /** Whether the shown segment at `index` starts a speaker's turn (its name is shown; otherwise only read out). */
  protected startsTurn(index: number): boolean {
    const shown = this.shown();
    return index === 0 || shown[index - 1].speaker !== shown[index].speaker;
  }

  protected seek(segment: ViewSegment): void {
    const audio = this.player()?.nativeElement;
    if (!audio) return;
    audio.currentTime = segment.start;
    this.currentTime.set(segment.start);
    if (audio.paused) audio.play()?.catch(() => undefined); // autoplay policies may refuse; the seek stands
  }

  protected onTime(): void {
    const audio = this.player()?.nativeElement;
    if (audio) this.currentTime.set(audio.currentTime);
  }

  protected onPlay(): void {
    this.playing.set(true);
    const view = this.document.defaultView;
    if (!view?.requestAnimationFrame) return;
    // timeupdate fires only ~4 times a second: too coarse for word highlighting, so follow frames while playing.
    const loop = () => {
      this.onTime();
      this.frame = view.requestAnimationFrame(loop);
    };
    this.stopLoop();
    this.frame = view.requestAnimationFrame(loop);
  }

  protected onPause(): void {
    this.playing.set(false);
    this.stopLoop();
    this.onTime();
  }

  protected search(value: string): void {
    this.query.set(value);
    this.matchCursor.set(-1);
  }

  /** Enter in the search box: bring the next segment with a hit into view. */
  protected nextMatch(event: Event): void {
    event.preventDefault();
    const ids = this.matchingIds();
    if (ids.length === 0) return;
    this.matchCursor.update((cursor) => (cursor + 1) % ids.length);
    this.segmentElement(ids[this.matchCursor()])?.scrollIntoView?.({ block: 'center' });
  }

  protected async copy(): Promise<void> {
    const text = this.result().text.trim();
    try {
      await this.document.defaultView?.navigator.clipboard.writeText(text);
      this.copyState.set('copied');
    } catch {
      this.copyState.set(this.copyWithSelection(text) ? 'copied' : 'failed');
    }
  }

  protected requestDownload(format: DownloadFormat): void {
    const subtitles = this.subtitles();
    this.download.emit(subtitles && (format === 'srt' || format === 'vtt') ? { format, subtitles } : { format });
  }

  protected formatLabel(format: DownloadFormat): string {
    return format.toUpperCase();
  }

  /** Older browsers and non-secure origins have no async clipboard: fall back to a selected textarea. */
  private copyWithSelection(text: string): boolean {
    const area = this.document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    this.document.body.appendChild(area);
    area.select();
    try {
      return this.document.execCommand?.('copy') ?? false;
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }

  private segmentElement(id: number): HTMLElement | null {
    return this.host.nativeElement.querySelector<HTMLElement>(`[data-segment="${id}"]`);
  }

  private stopLoop(): void {
    if (this.frame !== undefined) this.document.defaultView?.cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }
}
