import { Component, inject, input } from '@angular/core';
import type { SegmentFlag } from '@speech/contracts';
import { I18n } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/messages.en';

/** Label and explanation of each flag; typed, so a flag added to the contract fails the build until it has text. */
export const FLAG_TEXT: Readonly<Record<SegmentFlag, { label: MessageKey; hint: MessageKey }>> = {
  low_confidence: { label: 'quality.low_confidence', hint: 'quality.low_confidence.hint' },
  repetition: { label: 'quality.repetition', hint: 'quality.repetition.hint' },
  outside_speech: { label: 'quality.outside_speech', hint: 'quality.outside_speech.hint' },
  known_hallucination: { label: 'quality.known_hallucination', hint: 'quality.known_hallucination.hint' },
};

/**
 * Why a segment may not be what was said: one badge per flag, the reason as text (never an icon alone) and its
 * explanation as tooltip and accessible description.
 */
@Component({
  selector: 'app-quality-badge',
  template: `
    @for (flag of flags(); track flag) {
      <span class="flag" [attr.data-flag]="flag" [attr.title]="i18n.t(text[flag].hint)">
        <span aria-hidden="true">⚠</span> {{ i18n.t(text[flag].label) }}<span class="visually-hidden">: {{ i18n.t(text[flag].hint) }}</span>
      </span>
    }
  `,
  styles: `
    :host { display: inline-flex; flex-wrap: wrap; gap: 0.25rem; }
    .flag { background: var(--warn-bg); color: var(--warn); border: 1px solid currentColor; border-radius: var(--radius);
      padding: 0 0.4rem; font-size: 0.8rem; white-space: nowrap; }
  `,
})
export class QualityBadge {
  protected readonly i18n = inject(I18n);
  protected readonly text = FLAG_TEXT;
  readonly flags = input.required<readonly SegmentFlag[]>();
}
