import { Component, inject, input, output } from '@angular/core';
import { I18n } from '../../core/i18n/i18n.service';
import { MAX_SPEAKER_NAME_CHARS } from '../../core/transcripts/speaker-names';
import type { LegendSpeaker } from './speaker-palette';

export interface SpeakerRename {
  readonly speaker: string;
  readonly name: string;
}

/**
 * The transcript's speakers with their colours; each name is an input, so a speaker is renamed where it is listed.
 * A rename is sent when the field is committed (Enter or leaving it); a blank field restores the API's label.
 */
@Component({
  selector: 'app-speaker-legend',
  template: `
    <section class="legend" data-testid="speaker-legend" aria-labelledby="speaker-legend-title">
      <h2 id="speaker-legend-title">{{ i18n.t('speakers.legend') }}</h2>
      <ul>
        @for (speaker of speakers(); track speaker.id) {
          <li [attr.data-speaker]="speaker.id">
            <span class="swatch" aria-hidden="true" [style.background]="speaker.colour.background"></span>
            <input
              type="text"
              [attr.aria-label]="i18n.t('speakers.rename', { speaker: speaker.id })"
              [attr.maxlength]="maxChars"
              aria-describedby="speaker-legend-hint"
              [value]="speaker.name"
              (change)="commit(speaker, $any($event.target))"
              (keydown.escape)="revert(speaker, $any($event.target))"
            />
            @if (speaker.name !== speaker.id) {
              <span class="muted original">({{ speaker.id }})</span>
            }
          </li>
        }
      </ul>
      <p id="speaker-legend-hint" class="muted hint">{{ i18n.t('speakers.renameHint') }}</p>
    </section>
  `,
  styles: `
    h2 { font-size: 1rem; margin: 0 0 0.35rem; }
    ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; }
    li { display: flex; align-items: center; gap: 0.35rem; }
    .swatch { width: 1.1rem; height: 1.1rem; border-radius: 50%; border: 1px solid var(--border); flex: none; }
    input { width: 10rem; }
    .original, .hint { font-size: 0.85rem; }
    .hint { margin: 0.3rem 0 0; }
  `,
})
export class SpeakerLegend {
  protected readonly i18n = inject(I18n);
  protected readonly maxChars = MAX_SPEAKER_NAME_CHARS;
  readonly speakers = input.required<readonly LegendSpeaker[]>();
  readonly rename = output<SpeakerRename>();

  protected commit(speaker: LegendSpeaker, field: HTMLInputElement): void {
    const name = field.value.trim();
    // A blank field shows the API's label again (the rename is removed).
    if (!name) field.value = speaker.id;
    if ((name || speaker.id) !== speaker.name) this.rename.emit({ speaker: speaker.id, name });
  }

  protected revert(speaker: LegendSpeaker, field: HTMLInputElement): void {
    field.value = speaker.name;
  }
}
