import { DOCUMENT } from '@angular/common';
import { effect, inject, Injectable, signal } from '@angular/core';

export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const KEYS = { apiKey: 'speech.apiKey', language: 'speech.language', theme: 'speech.theme' } as const;

/** The console's preferences, kept in localStorage so they survive reloads; the theme and language apply to <html>. */
@Injectable({ providedIn: 'root' })
export class SettingsStore {
  private readonly document = inject(DOCUMENT);
  private readonly storage = safeStorage(this.document.defaultView);

  readonly apiKey = signal(this.storage?.getItem(KEYS.apiKey) ?? '');
  readonly language = signal<Language>(this.initialLanguage());
  readonly theme = signal<Theme>(oneOf(this.storage?.getItem(KEYS.theme), THEMES) ?? 'system');

  constructor() {
    effect(() => {
      const root = this.document.documentElement;
      root.lang = this.language();
      const theme = this.theme();
      if (theme === 'system') root.removeAttribute('data-theme');
      else root.setAttribute('data-theme', theme);
    });
  }

  setApiKey(key: string): void {
    const trimmed = key.trim();
    this.apiKey.set(trimmed);
    this.write(KEYS.apiKey, trimmed || undefined);
  }

  setLanguage(language: Language): void {
    this.language.set(language);
    this.write(KEYS.language, language);
  }

  setTheme(theme: Theme): void {
    this.theme.set(theme);
    this.write(KEYS.theme, theme === 'system' ? undefined : theme);
  }

  private initialLanguage(): Language {
    const stored = oneOf(this.storage?.getItem(KEYS.language), LANGUAGES);
    if (stored) return stored;
    const preferred = this.document.defaultView?.navigator.language ?? 'en';
    return preferred.toLowerCase().startsWith('de') ? 'de' : 'en';
  }

  private write(key: string, value: string | undefined): void {
    try {
      if (value === undefined) this.storage?.removeItem(key);
      else this.storage?.setItem(key, value);
    } catch {
      // storage full or blocked: the setting still holds for this tab
    }
  }
}

function oneOf<T extends string>(value: string | null | undefined, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

/** localStorage, or undefined where the browser blocks it (privacy modes throw on access). */
function safeStorage(view: Window | null): Storage | undefined {
  try {
    return view?.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}
