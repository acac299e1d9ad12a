import { Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ApiFailure } from '../../core/api/api-error';
import { I18n } from '../../core/i18n/i18n.service';

/**
 * An API failure for people: the message for its stable code in the UI language. In English the
 * server's own detail is more specific (it names limits, accepted formats), so it replaces the
 * generic message; in other languages it follows, marked as English.
 */
@Component({
  selector: 'app-error-message',
  imports: [RouterLink],
  template: `
    <div class="alert" role="alert" data-testid="error">
      <p class="message">{{ message() }}</p>
      @if (secondary(); as detail) {
        <p class="detail" lang="en">{{ detail }}</p>
      }
      @if (failure().code === 'UNAUTHORIZED') {
        <p><a routerLink="/settings">{{ i18n.t('error.toSettings') }}</a></p>
      }
      @if (failure().requestId; as id) {
        <p class="request-id">{{ i18n.t('error.requestId', { id }) }}</p>
      }
    </div>
  `,
  styles: `
    p { margin: 0; }
    .message { font-weight: 600; }
    .detail, .request-id { font-size: 0.85rem; margin-top: 0.25rem; overflow-wrap: anywhere; }
    a { color: inherit; }
  `,
})
export class ErrorMessage {
  protected readonly i18n = inject(I18n);
  readonly failure = input.required<ApiFailure>();

  private readonly codeMessage = computed(() => {
    const code = this.failure().code;
    return code ? this.i18n.errorMessage(code) : undefined;
  });

  protected readonly message = computed(() => {
    const { status, detail } = this.failure();
    if (this.i18n.language() === 'en' && detail) return detail;
    if (this.codeMessage()) return this.codeMessage();
    if (detail) return detail;
    return status === 0 ? this.i18n.t('error.unreachable') : this.i18n.t('error.http', { status });
  });

  protected readonly secondary = computed(() => {
    const detail = this.failure().detail;
    return detail && detail !== this.message() ? detail : undefined;
  });
}
