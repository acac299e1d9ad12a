import type { Server } from 'node:net';

/** Where the server really listens, for the start-up log: `{ address: '0.0.0.0', port: 8080, url: 'http://0.0.0.0:8080' }`. */
export function listeningOn(server: Pick<Server, 'address'>): { address: string; port: number; url: string } {
  const bound = server.address();
  if (bound === null || typeof bound === 'string') return { address: String(bound), port: 0, url: String(bound) };
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return { address: bound.address, port: bound.port, url: `http://${host}:${bound.port}` };
}
