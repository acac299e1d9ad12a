import { computed, inject, Injectable } from '@angular/core';
import { ERROR_CODES, type ErrorCode } from '@speech/contracts';
import { SettingsStore } from '../settings/settings.store';
import { DE, ERROR_MESSAGES_DE } from './messages.de';
import { EN, type MessageKey } from './messages.en';

export type MessageParams = Readonly<Record<string, string | number>>;

const CATALOGUES: Record<string, Record<MessageKey, string>> = { en: EN, de: DE };

/**
 * Signal-based translations: `t()` reads the language signal, so every template that calls it
 * re-renders when the language changes at run time. Numbers, sizes and times use Intl for the locale.
 */
@Injectable({ providedIn: 'root' })
export class I18n {
  private readonly settings = inject(SettingsStore);
  readonly language = this.settings.language;
  private readonly catalogue = computed(() => CATALOGUES[this.language()] ?? EN);
  private readonly numbers = computed(() => new Intl.NumberFormat(this.language(), { maximumFractionDigits: 1 }));
  private readonly relative = computed(() => new Intl.RelativeTimeFormat(this.language(), { numeric: 'auto' }));

  t(key: MessageKey, params?: MessageParams): string {
    const template = this.catalogue()[key] ?? EN[key];
    return params ? template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match)) : template;
  }

  /** The human message for a stable API error code, in the current language. */
  errorMessage(code: ErrorCode): string {
    return (this.language() === 'de' ? ERROR_MESSAGES_DE[code] : undefined) ?? ERROR_CODES[code].message;
  }

  number(value: number): string {
    return this.numbers().format(value);
  }

  /** 1536 → "1.5 KB": binary units, so the API's 104857600-byte default reads "100 MB". */
  bytes(value: number): string {
    const units = ['B', 'KB', 'MB', 'GB'];
    let size = value;
    let unit = 0;
    while (size >= 1024 && unit < units.length - 1) {
      size /= 1024;
      unit += 1;
    }
    return `${this.number(unit === 0 ? size : Math.round(size * 10) / 10)} ${units[unit]}`;
  }

  /** A clock-style duration: 75.4 → "1:15", 3725 → "1:02:05". */
  clock(seconds: number): string {
    const total = Math.max(0, Math.floor(seconds));
    const h = Math.floor(total / 3600);
    const m = Math.floor(total / 60) % 60;
    const s = String(total % 60).padStart(2, '0');
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
  }

  /** A short spoken duration for estimates: 42 → "42 s", 150 → "3 min". */
  span(seconds: number): string {
    if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
    if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
    return `${this.number(Math.round(seconds / 360) / 10)} h`;
  }

  /** "3 minutes ago", relative to `now`. */
  age(iso: string, now: number): string {
    const seconds = Math.round((Date.parse(iso) - now) / 1000);
    const abs = Math.abs(seconds);
    if (abs < 60) return this.relative().format(seconds, 'second');
    if (abs < 3600) return this.relative().format(Math.round(seconds / 60), 'minute');
    if (abs < 86400) return this.relative().format(Math.round(seconds / 3600), 'hour');
    return this.relative().format(Math.round(seconds / 86400), 'day');
  }
}
