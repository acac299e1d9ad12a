import { Component, computed, inject, signal } from '@angular/core';
import { I18n } from '../../core/i18n/i18n.service';
import { type Language, LANGUAGES, SettingsStore, type Theme, THEMES } from '../../core/settings/settings.store';
import { ServiceStatusStore } from '../../core/status/service-status.store';
import { ErrorMessage } from '../../shared/error-message/error-message';
import { modelName } from '../../shared/status-badge/status-badge';

const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', de: 'Deutsch' };

/** API key, language, theme, and what the API says about itself. */
@Component({
  selector: 'app-settings-page',
  imports: [ErrorMessage],
  templateUrl: './settings.page.html',
  styleUrl: './settings.page.css',
})
export class SettingsPage {
  protected readonly i18n = inject(I18n);
  protected readonly settings = inject(SettingsStore);
  protected readonly service = inject(ServiceStatusStore);

  protected readonly languages = LANGUAGES;
  protected readonly themes = THEMES;
  protected readonly languageNames = LANGUAGE_NAMES;
  protected readonly draftKey = signal(this.settings.apiKey());
  protected readonly showKey = signal(false);
  protected readonly keyMessage = signal<'saved' | 'removed' | undefined>(undefined);
  protected readonly model = computed(() => {
    const model = this.service.status()?.engine.model;
    return model ? modelName(model) : '';
  });

  protected saveKey(event: Event): void {
    event.preventDefault();
    this.settings.setApiKey(this.draftKey());
    this.keyMessage.set(this.settings.apiKey() ? 'saved' : 'removed');
    this.service.refresh();
  }

  protected clearKey(): void {
    this.draftKey.set('');
    this.settings.setApiKey('');
    this.keyMessage.set('removed');
    this.service.refresh();
  }

  protected pickLanguage(value: string): void {
    const language = LANGUAGES.find((candidate) => candidate === value);
    if (language) this.settings.setLanguage(language);
  }

  protected pickTheme(value: string): void {
    const theme = THEMES.find((candidate) => candidate === value);
    if (theme) this.settings.setTheme(theme);
  }

  protected themeLabel(theme: Theme): string {
    return this.i18n.t(`settings.theme.${theme}`);
  }
}
