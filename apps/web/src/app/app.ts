import { DOCUMENT } from '@angular/common';
import { Component, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { I18n } from './core/i18n/i18n.service';
import { StatusBadge } from './shared/status-badge/status-badge';

/** The console's shell: skip link, navigation, service status and the routed page. */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, StatusBadge],
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly i18n = inject(I18n);
  private readonly document = inject(DOCUMENT);

  protected readonly links = [
    { path: '/', key: 'nav.transcribe', exact: true },
    { path: '/live', key: 'nav.live', exact: true },
    { path: '/jobs', key: 'nav.jobs', exact: false },
    { path: '/models', key: 'nav.models', exact: true },
    { path: '/settings', key: 'nav.settings', exact: true },
  ] as const;

  /** A plain href="#main" would resolve against <base href> and reload the page; move focus instead. */
  protected skipToMain(event: Event): void {
    event.preventDefault();
    this.document.getElementById('main')?.focus();
  }
}
