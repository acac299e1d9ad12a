import { Controller, Get, type INestApplication, Module, Post } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { ApiKeyScope } from '@speech/contracts';
import request from 'supertest';
import { HttpErrorFilter } from '../common/http-error.filter';
import { loadConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { ApiKeyStore } from '../storage/api-key-store.port';
import { SqliteApiKeyStore } from '../storage/sqlite/sqlite-api-key-store';
import { generateApiKey } from './api-key';
import { ApiKeyVerifier } from './api-key-verifier';
import { AuthGuard } from './auth.guard';
import { Caller } from './caller.decorator';
import type { Principal } from './principal';
import { Public, RequireScope } from './route-access';

const who = (principal: Principal) => ({ keyId: principal.keyId, ownerId: principal.ownerId, scopes: [...principal.scopes].sort() });

@Controller()
class ProbeController {
  @Get('health') @Public() health() { return { ok: true }; }
  @Post('transcribe') @RequireScope('transcribe') transcribe(@Caller() caller: Principal) { return who(caller); }
  @Get('jobs') @RequireScope('jobs:read') jobs(@Caller() caller: Principal) { return who(caller); }
  @Get('metrics') @RequireScope('admin', { openWhenKeysOptional: true }) metrics() { return 'metrics'; }
  @Get('admin') @RequireScope('admin') admin() { return 'admin'; }
  @Get('unmarked') unmarked(@Caller() caller: Principal) { return who(caller); }
}

async function appWith(env: Record<string, string>, store: ApiKeyStore): Promise<INestApplication> {
  @Module({
    imports: [ConfigModule.forRoot(loadConfig({ API_KEY_CACHE_SECONDS: '0', ...env }))],
    controllers: [ProbeController],
    providers: [
      { provide: ApiKeyStore, useValue: store },
      ApiKeyVerifier,
      AuthGuard,
      { provide: APP_GUARD, useExisting: AuthGuard },
      { provide: APP_FILTER, useClass: HttpErrorFilter },
    ],
  })
  class ProbeModule {}
  const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

type Route = readonly ['get' | 'post', string];
const ROUTES = {
  health: ['get', '/health'],
  transcribe: ['post', '/transcribe'],
  jobs: ['get', '/jobs'],
  metrics: ['get', '/metrics'],
  admin: ['get', '/admin'],
  unmarked: ['get', '/unmarked'],
} satisfies Record<string, Route>;

describe('AuthGuard', () => {
  let store: SqliteApiKeyStore;
  const keys: Record<string, string> = {};
  const keyOf = (label: string): string => {
    const key = keys[label];
    if (key === undefined) throw new Error(`no key labelled ${label}`);
    return key;
  };

  beforeAll(async () => {
    store = new SqliteApiKeyStore(':memory:');
    await store.init();
    const add = async (label: string, scopes: ApiKeyScope[], revoked = false) => {
      const { key, keyId, hash } = generateApiKey();
      await store.insert({ keyId, name: label, scopes, hash, createdAt: Date.now(), revokedAt: revoked ? Date.now() : null, lastUsedAt: null });
      keys[label] = key;
    };
    await add('transcribe', ['transcribe']);
    await add('reader', ['jobs:read']);
    await add('admin', ['admin']);
    await add('revoked', ['admin'], true);
    const { key } = generateApiKey();
    keys['unknown'] = key;
    keys['wrong-secret'] = `${keyOf('admin').slice(0, -4)}AAAA`;
    keys['malformed'] = 'spk_not-a-key';
  });

  afterAll(() => store.close());

  const call = (app: INestApplication, [method, path]: Route, key?: string, header: 'bearer' | 'x-api-key' = 'bearer') => {
    const req = request(app.getHttpServer())[method](path);
    if (key !== undefined) req.set(header === 'bearer' ? 'Authorization' : 'x-api-key', header === 'bearer' ? `Bearer ${key}` : key);
    return req;
  };

  describe('with API_KEYS_REQUIRED=true', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await appWith({ API_KEYS_REQUIRED: 'true' }, store);
    });
    afterAll(() => app.close());

    // Caller → status per route: health, transcribe, jobs, metrics, admin, unmarked.
    const matrix: Record<string, number[]> = {
      none: [200, 401, 401, 401, 401, 401],
      transcribe: [200, 201, 403, 403, 403, 200],
      reader: [200, 403, 200, 403, 403, 200],
      admin: [200, 201, 200, 200, 200, 200],
      revoked: [200, 401, 401, 401, 401, 401],
      unknown: [200, 401, 401, 401, 401, 401],
      'wrong-secret': [200, 401, 401, 401, 401, 401],
      malformed: [200, 401, 401, 401, 401, 401],
    };
    it.each(Object.entries(matrix))('%s', async (caller, expected) => {
      const statuses = [];
      for (const route of Object.values(ROUTES)) statuses.push((await call(app, route, caller === 'none' ? undefined : keyOf(caller))).status);
      expect(statuses).toEqual(expected);
    });

    it('accepts x-api-key like a Bearer token, and sets the principal from the key', async () => {
      const response = await call(app, ROUTES.unmarked, keyOf('reader'), 'x-api-key').expect(200);
      expect(response.body).toEqual({ keyId: keyOf('reader').slice(4, 16), ownerId: keyOf('reader').slice(4, 16), scopes: ['jobs:read'] });
    });

    it('answers 401 as problem+json with WWW-Authenticate, and says how to send a key', async () => {
      const response = await call(app, ROUTES.jobs).expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      expect(response.body.detail).toMatch(/Authorization: Bearer <key>.*x-api-key/);
      // Keys exist: no hint to create the first one.
      expect(response.body.detail).not.toMatch(/npm run apikey/);
    });

    it('answers 403 naming the missing scope', async () => {
      const response = await call(app, ROUTES.jobs, keyOf('transcribe')).expect(403);
      expect(response.body).toMatchObject({ code: 'FORBIDDEN', scope: 'jobs:read' });
      expect(response.body.detail).toContain('"jobs:read"');
      expect(response.headers['www-authenticate']).toBeUndefined();
    });

    it('refuses other authorization schemes instead of treating the caller as keyless', async () => {
      const response = await request(app.getHttpServer()).get('/unmarked').set('Authorization', 'Basic dXNlcjpwdw==').expect(401);
      expect(response.body.detail).toMatch(/not accepted/);
    });

    it('names `npm run apikey -- create` while no key exists at all', async () => {
      const empty = new SqliteApiKeyStore(':memory:');
      await empty.init();
      const bare = await appWith({ API_KEYS_REQUIRED: 'true' }, empty);
      try {
        const response = await call(bare, ROUTES.jobs).expect(401);
        expect(response.body.detail).toContain('npm run apikey -- create');
      } finally {
        await bare.close();
        await empty.close();
      }
    });
  });

  describe('with keys optional (the development default)', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await appWith({ NODE_ENV: 'development' }, store);
    });
    afterAll(() => app.close());

    const matrix: Record<string, number[]> = {
      none: [200, 201, 200, 200, 401, 200],
      transcribe: [200, 201, 403, 200, 403, 200],
      reader: [200, 403, 200, 200, 403, 200],
      admin: [200, 201, 200, 200, 200, 200],
      revoked: [200, 401, 401, 200, 401, 401],
      unknown: [200, 401, 401, 200, 401, 401],
      malformed: [200, 401, 401, 200, 401, 401],
    };
    it.each(Object.entries(matrix))('%s', async (caller, expected) => {
      const statuses = [];
      for (const route of Object.values(ROUTES)) statuses.push((await call(app, route, caller === 'none' ? undefined : keyOf(caller))).status);
      expect(statuses).toEqual(expected);
    });

    it('runs a keyless caller as the anonymous owner with transcribe and jobs:read', async () => {
      const response = await call(app, ROUTES.unmarked).expect(200);
      expect(response.body).toEqual({ keyId: null, ownerId: 'anonymous', scopes: ['jobs:read', 'transcribe'] });
    });

    it("ignores a credential that is not one of ours in shape (OpenAI SDKs always send one)", async () => {
      const response = await call(app, ROUTES.unmarked, 'sk-placeholder').expect(200);
      expect(response.body.ownerId).toBe('anonymous');
    });
  });

  it('requires keys by default in production, not in development', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).auth.keysRequired).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', API_KEYS_REQUIRED: 'false' }).auth.keysRequired).toBe(false);
    expect(loadConfig({}).auth).toEqual({ keysRequired: false, cacheSeconds: 30 });
    expect(() => loadConfig({ API_KEY_CACHE_SECONDS: '-1' })).toThrow(/API_KEY_CACHE_SECONDS/);
  });
});
