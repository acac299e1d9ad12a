import { Component, computed, DestroyRef, inject, type OnInit } from '@angular/core';
import { RouterLink } from '@angular/router';
import { I18n } from '../../core/i18n/i18n.service';
import { ServiceStatusStore } from '../../core/status/service-status.store';

const REFRESH_MS = 30_000;

/** Engine · model · health at a glance; links to the settings page with the details. */
@Component({
  selector: 'app-status-badge',
  imports: [RouterLink],
  template: `
    <a class="pill" [class]="tone()" routerLink="/settings" data-testid="status" [attr.aria-label]="i18n.t('status.label', { summary: summary() })">
      <span class="dot" aria-hidden="true"></span><span class="text">{{ summary() }}</span>
    </a>
  `,
  styles: `
    :host { display: block; min-width: 0; }
    a { text-decoration: none; display: inline-flex; align-items: center; gap: 0.4rem; max-width: 100%; }
    .text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
    .dot { width: 0.55rem; height: 0.55rem; border-radius: 50%; background: currentColor; flex: none; }
  `,
})
export class StatusBadge implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly store = inject(ServiceStatusStore);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly tone = computed(() => {
    if (this.store.failure()) return 'pill error';
    if (!this.store.status()) return 'pill';
    return this.store.health() === 'down' ? 'pill warn' : 'pill ok';
  });

  protected readonly summary = computed(() => {
    const status = this.store.status();
    if (this.store.failure() && !status) return this.i18n.t('status.unreachable');
    if (!status) return this.i18n.t('status.loading');
    const health = this.store.health();
    const state = health === 'ok' ? this.i18n.t('status.ready') : health === 'down' ? this.i18n.t('status.notReady') : '';
    return [`${status.engine.name} · ${modelName(status.engine.model)}`, state].filter(Boolean).join(' · ');
  });

  ngOnInit(): void {
    this.store.refresh();
    const timer = setInterval(() => this.store.refresh(), REFRESH_MS);
    this.destroyRef.onDestroy(() => clearInterval(timer));
  }
}

/** A model given as a file path shows as its file name. */
export function modelName(model: string): string {
  return model.split(/[\\/]/).pop() || model;
}
