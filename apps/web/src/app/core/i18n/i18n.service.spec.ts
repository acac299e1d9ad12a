import { TestBed } from '@angular/core/testing';
import { ERROR_CODES, type ErrorCode } from '@speech/contracts';
import { SettingsStore } from '../settings/settings.store';
import { I18n } from './i18n.service';
import { ERROR_MESSAGES_DE } from './messages.de';

describe('I18n', () => {
  let i18n: I18n;
  let settings: SettingsStore;

  beforeEach(() => {
    localStorage.clear();
    i18n = TestBed.inject(I18n);
    settings = TestBed.inject(SettingsStore);
    settings.setLanguage('en');
  });

  it('fills parameters and follows the language signal at run time', () => {
    expect(i18n.t('upload.uploading', { percent: 42 })).toBe('Uploading 42 %');
    settings.setLanguage('de');
    expect(i18n.t('upload.uploading', { percent: 42 })).toBe('Hochladen 42 %');
    expect(localStorage.getItem('speech.language')).toBe('de');
  });

  it('gives the message for each stable error code in the UI language', () => {
    expect(i18n.errorMessage('FILE_TOO_LARGE')).toBe(ERROR_CODES.FILE_TOO_LARGE.message);
    settings.setLanguage('de');
    expect(i18n.errorMessage('FILE_TOO_LARGE')).toBe('Die Datei ist größer als erlaubt.');
  });

  it('has German text for every error code of the contract', () => {
    const missing = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => !ERROR_MESSAGES_DE[code]);
    expect(missing).toEqual([]);
  });

  it('formats sizes, clock times, spans and ages', () => {
    expect(i18n.bytes(104_857_600)).toBe('100 MB');
    expect(i18n.bytes(512)).toBe('512 B');
    expect(i18n.clock(75.4)).toBe('1:15');
    expect(i18n.clock(3725)).toBe('1:02:05');
    expect(i18n.span(42)).toBe('42 s');
    expect(i18n.span(150)).toBe('3 min');
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(i18n.age('2026-01-01T11:57:00Z', now)).toBe('3 minutes ago');
    settings.setLanguage('de');
    expect(i18n.age('2026-01-01T11:57:00Z', now)).toBe('vor 3 Minuten');
  });
});
