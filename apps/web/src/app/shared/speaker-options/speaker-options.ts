import { Component, computed, inject, output, signal } from '@angular/core';
import { MAX_SPEAKERS, type SpeakerRequest } from '../../core/api/pipeline-fields';
import { I18n } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/messages.en';
import { COUNT_MODES, type CountField, type CountFields, type CountMode, parseSpeakerCount } from './speaker-count';

/**
 * The "who spoke when" option of an upload: off, or on with the number of speakers estimated, given exactly, or
 * bounded. Emits the request to send, or undefined while off.
 */
@Component({
  selector: 'app-speaker-options',
  template: `
    <fieldset class="speakers" data-testid="speaker-options">
      <legend>
        <label><input type="checkbox" data-testid="diarize" [checked]="enabled()" (change)="toggle($any($event.target).checked)" />
          {{ i18n.t('speakers.diarize') }}</label>
      </legend>
      @if (enabled()) {
        <div class="modes" role="radiogroup" [attr.aria-label]="i18n.t('speakers.count')">
          @for (m of modes; track m) {
            <label><input type="radio" name="speaker-count" [attr.data-testid]="'count-' + m" [checked]="mode() === m" (change)="pick(m)" />
              {{ i18n.t(modeLabel[m]) }}</label>
          }
        </div>
        @if (mode() !== 'auto') {
          <div class="fields">
            @for (field of mode() === 'exact' ? exactFields : rangeFields; track field.name) {
              <label>
                {{ i18n.t(field.label) }}
                <input type="number" inputmode="numeric" min="1" step="1" [attr.max]="max" [attr.data-testid]="'speakers-' + field.name"
                  [value]="fields()[field.name]" [attr.aria-invalid]="invalidField() === field.name ? 'true' : null"
                  (input)="set(field.name, $any($event.target).value)" />
              </label>
            }
          </div>
        }
        @if (invalidField()) {
          <p class="error" role="alert" data-testid="speakers-error">{{ i18n.t('speakers.invalid', { max }) }}</p>
        }
      }
    </fieldset>
  `,
  styles: `
    .speakers { border: 1px solid var(--border); border-radius: var(--radius); padding: 0.25rem 0.75rem 0.5rem; margin: 0; }
    .modes, .fields { display: flex; flex-wrap: wrap; gap: 0.35rem 1rem; }
    .modes label { font-weight: 400; display: flex; gap: 0.35rem; align-items: center; }
    .fields { margin-top: 0.4rem; align-items: end; }
    .fields label { display: grid; gap: 0.2rem; font-size: 0.9rem; }
    .fields input { width: 5rem; }
    .error { color: var(--error); font-size: 0.9rem; margin: 0.4rem 0 0; }
  `,
})
export class SpeakerOptionsForm {
  protected readonly i18n = inject(I18n);
  readonly changed = output<SpeakerRequest | undefined>();

  protected readonly max = MAX_SPEAKERS;
  protected readonly modes = COUNT_MODES;
  protected readonly modeLabel: Readonly<Record<CountMode, MessageKey>> = {
    auto: 'speakers.count.auto',
    exact: 'speakers.count.exact',
    range: 'speakers.count.range',
  };
  protected readonly exactFields = [{ name: 'exact', label: 'speakers.exact' }] as const;
  protected readonly rangeFields = [
    { name: 'min', label: 'speakers.min' },
    { name: 'max', label: 'speakers.max' },
  ] as const;
  protected readonly enabled = signal(false);
  protected readonly mode = signal<CountMode>('auto');
  protected readonly fields = signal<CountFields>({ exact: '2', min: '', max: '' });
  private readonly parsed = computed(() => parseSpeakerCount(this.mode(), this.fields()));
  protected readonly invalidField = computed(() => {
    const result = this.parsed();
    return result.ok ? undefined : result.field;
  });

  protected toggle(on: boolean): void {
    this.enabled.set(on);
    this.emit();
  }

  protected pick(mode: CountMode): void {
    this.mode.set(mode);
    this.emit();
  }

  protected set(field: CountField, value: string): void {
    this.fields.update((fields) => ({ ...fields, [field]: value }));
    this.emit();
  }

  private emit(): void {
    const result = this.parsed();
    this.changed.emit(this.enabled() ? (result.ok ? result.request : result.fallback) : undefined);
  }
}
