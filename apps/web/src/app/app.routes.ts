import type { Route } from '@angular/router';

// Client routes must not start with an API prefix (/transcribe, /status, /health, /api, /v1, /metrics):
// on the API's origin those paths belong to the API (apps/api/src/web-console.middleware.ts).
export const appRoutes: Route[] = [
  { path: '', pathMatch: 'full', loadComponent: () => import('./pages/transcribe/transcribe.page').then((m) => m.TranscribePage) },
  { path: 'live', loadComponent: () => import('./pages/live/live.page').then((m) => m.LivePage) },
  { path: 'jobs', loadComponent: () => import('./pages/jobs/jobs.page').then((m) => m.JobsPage) },
  {
    path: 'jobs/:id',
    data: { source: 'job' },
    loadComponent: () => import('./pages/transcript/transcript.page').then((m) => m.TranscriptPage),
  },
  {
    path: 'transcripts/:id',
    data: { source: 'local' },
    loadComponent: () => import('./pages/transcript/transcript.page').then((m) => m.TranscriptPage),
  },
  { path: 'models', loadComponent: () => import('./pages/models/models.page').then((m) => m.ModelsPage) },
  { path: 'settings', loadComponent: () => import('./pages/settings/settings.page').then((m) => m.SettingsPage) },
  { path: '**', redirectTo: '' },
];
