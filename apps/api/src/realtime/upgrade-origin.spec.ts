import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../config/app-config';
import { checkUpgradeOrigin } from './upgrade-origin';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const config = (keysRequired: boolean, corsOrigins: '*' | string[] = []) => ({ auth: { keysRequired }, server: { corsOrigins } }) as unknown as AppConfig;

describe('checkUpgradeOrigin', () => {
  it('lets non-browser clients, the API’s own console and CORS_ORIGINS in while keys are optional', () => {
    expect(() => checkUpgradeOrigin(request({ host: 'localhost:8080' }), config(false))).not.toThrow();
    expect(() => checkUpgradeOrigin(request({ host: 'localhost:8080', origin: 'http://localhost:8080' }), config(false))).not.toThrow();
    expect(() => checkUpgradeOrigin(request({ host: 'localhost:8080', origin: 'https://app.example' }), config(false, ['https://app.example']))).not.toThrow();
    expect(() => checkUpgradeOrigin(request({ host: 'localhost:8080', origin: 'https://any.example' }), config(false, '*'))).not.toThrow();
  });

  it('refuses another web origin with FORBIDDEN, unless keys are required', () => {
    const evil = request({ host: 'localhost:8080', origin: 'https://evil.example' });
    expect(() => checkUpgradeOrigin(evil, config(false))).toThrow(expect.objectContaining({ code: 'FORBIDDEN', details: expect.objectContaining({ variable: 'CORS_ORIGINS' }) }));
    expect(() => checkUpgradeOrigin(request({ host: 'localhost:8080', origin: 'null' }), config(false))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => checkUpgradeOrigin(evil, config(true))).not.toThrow();
  });
});
