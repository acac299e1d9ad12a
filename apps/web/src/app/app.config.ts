import { type ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { provideRouter } from '@angular/router';
import { appRoutes } from './app.routes';

export const appConfig: ApplicationConfig = {
  // The XHR backend (the default) reports upload progress; the fetch backend does not.
  providers: [provideBrowserGlobalErrorListeners(), provideRouter(appRoutes), provideHttpClient()],
};
