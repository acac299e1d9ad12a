import type { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { SettingsStore } from '../settings/settings.store';

/** Sends the stored API key as `Authorization: Bearer` to the console's own API (relative URLs) only. */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const key = inject(SettingsStore).apiKey();
  if (!key || /^[a-z]+:\/\//i.test(request.url) || request.headers.has('Authorization')) return next(request);
  return next(request.clone({ setHeaders: { Authorization: `Bearer ${key}` } }));
};
