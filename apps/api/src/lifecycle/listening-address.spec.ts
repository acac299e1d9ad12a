import { createServer } from 'node:net';
import { listeningOn } from './listening-address';

describe('listeningOn', () => {
  it.each([
    ['127.0.0.1', 'http://127.0.0.1:'],
    ['0.0.0.0', 'http://0.0.0.0:'],
  ])('reports the address the socket really bound (%s), never a rewritten one', async (host, prefix) => {
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
    try {
      const bound = listeningOn(server);
      expect(bound.address).toBe(host);
      expect(bound.url).toBe(`${prefix}${bound.port}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('brackets an IPv6 address in the URL', () => {
    const server = { address: () => ({ address: '::', family: 'IPv6', port: 8080 }) };
    expect(listeningOn(server)).toEqual({ address: '::', port: 8080, url: 'http://[::]:8080' });
  });
});
