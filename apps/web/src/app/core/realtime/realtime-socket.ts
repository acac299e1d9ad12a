import { InjectionToken } from '@angular/core';
import type { SocketFactory } from './realtime-session';

/** Opens the Realtime WebSocket; a token so page tests can play the server. */
export const REALTIME_SOCKET = new InjectionToken<SocketFactory>('REALTIME_SOCKET', {
  providedIn: 'root',
  factory: () => (url, protocols) => new WebSocket(url, protocols),
});

/** The API's Realtime transcription endpoint on the console's own origin (the API serves the console). */
export function realtimeUrl(location: Location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/v1/realtime?intent=transcription`;
}
