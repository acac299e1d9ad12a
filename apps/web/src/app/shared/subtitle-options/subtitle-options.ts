import { Component, computed, inject, output, signal } from '@angular/core';
import { parseSubtitleOptions, SUBTITLE_DEFAULTS, SUBTITLE_LIMITS, type SubtitleOptions } from '@speech/transcript-formats';
import { I18n } from '../../core/i18n/i18n.service';

type Field = 'max_line_width' | 'max_line_count' | 'max_cue_duration';

/**
 * Subtitle rules for SRT/VTT downloads: off (one cue per segment, as the API answers by default) or on with line
 * width, lines per cue, longest cue and word highlighting, checked by the same parser the API uses. Emits the
 * options to use, or undefined while off or while a value is invalid (then the field says why).
 */
@Component({
  selector: 'app-subtitle-options',
  template: `
    <fieldset class="subtitles" data-testid="subtitle-options">
      <legend>
        <label><input type="checkbox" data-testid="subtitles-on" [checked]="enabled()" (change)="toggle($any($event.target).checked)" />
          {{ i18n.t('subtitles.rules') }}</label>
      </legend>
      @if (enabled()) {
        <div class="fields">
          @for (field of numberFields; track field.name) {
            <label>
              {{ i18n.t(field.label) }}
              <input
                type="number"
                inputmode="decimal"
                [attr.data-testid]="field.name"
                [attr.min]="field.min"
                [attr.max]="field.max"
                [attr.step]="field.step"
                [value]="values()[field.name]"
                [attr.aria-invalid]="invalidField() === field.name ? 'true' : null"
                (input)="set(field.name, $any($event.target).value)"
              />
            </label>
          }
          <label>
            <input type="checkbox" data-testid="highlight_words" [checked]="highlight()" (change)="setHighlight($any($event.target).checked)" />
            {{ i18n.t('subtitles.highlightWords') }}
          </label>
        </div>
        @if (parsed(); as result) {
          @if (!result.ok) {
            <p class="error" role="alert" data-testid="subtitles-error">{{ i18n.errorMessage('INVALID_SUBTITLE_OPTION') }} ({{ result.error.message }})</p>
          }
        }
      }
    </fieldset>
  `,
  styles: `
    .subtitles { border: 1px solid var(--border); border-radius: var(--radius); padding: 0.25rem 0.75rem 0.5rem; margin: 0; }
    .fields { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; }
    .fields label { display: grid; gap: 0.2rem; font-size: 0.9rem; }
    .fields input[type='number'] { width: 6rem; }
    .error { color: var(--error); font-size: 0.9rem; margin: 0.4rem 0 0; }
  `,
})
export class SubtitleOptionsForm {
  protected readonly i18n = inject(I18n);
  /** The rules to apply, or undefined for one cue per segment (off, or a value is invalid). */
  readonly changed = output<SubtitleOptions | undefined>();

  protected readonly numberFields = [
    { name: 'max_line_width', label: 'subtitles.lineWidth', step: 1, ...SUBTITLE_LIMITS.maxLineWidth },
    { name: 'max_line_count', label: 'subtitles.lineCount', step: 1, ...SUBTITLE_LIMITS.maxLineCount },
    { name: 'max_cue_duration', label: 'subtitles.cueDuration', step: 0.5, ...SUBTITLE_LIMITS.maxCueDuration },
  ] as const;
  protected readonly enabled = signal(false);
  protected readonly highlight = signal(SUBTITLE_DEFAULTS.highlightWords);
  protected readonly values = signal<Record<Field, string>>({
    max_line_width: String(SUBTITLE_DEFAULTS.maxLineWidth),
    max_line_count: String(SUBTITLE_DEFAULTS.maxLineCount),
    max_cue_duration: String(SUBTITLE_DEFAULTS.maxCueDuration),
  });
  protected readonly parsed = computed(() => parseSubtitleOptions({ ...this.values(), highlight_words: this.highlight() }));
  protected readonly invalidField = computed(() => {
    const result = this.parsed();
    return result.ok ? undefined : result.error.param;
  });

  protected toggle(on: boolean): void {
    this.enabled.set(on);
    this.emit();
  }

  protected set(field: Field, value: string): void {
    this.values.update((values) => ({ ...values, [field]: value }));
    this.emit();
  }

  protected setHighlight(on: boolean): void {
    this.highlight.set(on);
    this.emit();
  }

  private emit(): void {
    const result = this.parsed();
    this.changed.emit(this.enabled() && result.ok ? result.options : undefined);
  }
}
