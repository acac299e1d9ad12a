import { ConfigError, loadConfig } from './app-config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe('limits configuration', () => {
  it('has production-sensible defaults', () => {
    expect(loadConfig({}).limits).toEqual({
      ratePerIp: 600,
      ratePerKey: 1200,
      trustProxy: 0,
      requestTimeoutSeconds: 600,
      headersTimeoutSeconds: 60,
      keepAliveTimeoutSeconds: 65,
      uploadIdleTimeoutSeconds: 30,
      jsonBodyLimitBytes: 1024 * 1024,
    });
  });

  it('reads sizes the way body-parser writes them, and keeps the headers time-out within the request time-out', () => {
    const limits = loadConfig({ JSON_BODY_LIMIT: '512kb', REQUEST_TIMEOUT_SECONDS: '20', RATE_LIMIT_PER_IP: '0', TRUST_PROXY: '1' }).limits;
    expect(limits).toMatchObject({ jsonBodyLimitBytes: 512 * 1024, requestTimeoutSeconds: 20, headersTimeoutSeconds: 20, ratePerIp: 0, trustProxy: 1 });
    expect(loadConfig({ JSON_BODY_LIMIT: '2MB' }).limits.jsonBodyLimitBytes).toBe(2 * 1024 * 1024);
    expect(loadConfig({ JSON_BODY_LIMIT: '65536' }).limits.jsonBodyLimitBytes).toBe(65536);
  });

  it.each([
    [{ JSON_BODY_LIMIT: 'lots' }, /JSON_BODY_LIMIT: must be a size/],
    [{ JSON_BODY_LIMIT: '1gb' }, /JSON_BODY_LIMIT: must be a size/],
    [{ JSON_BODY_LIMIT: '100mb' }, /JSON_BODY_LIMIT: must be between 1kb and 64mb/],
    [{ RATE_LIMIT_PER_IP: '-1' }, /RATE_LIMIT_PER_IP/],
    [{ KEEP_ALIVE_TIMEOUT_SECONDS: '0' }, /KEEP_ALIVE_TIMEOUT_SECONDS/],
    [{ TRUST_PROXY: 'true' }, /TRUST_PROXY/],
  ])('refuses %j', (env, problem) => {
    expect(problemsOf(env).join('\n')).toMatch(problem);
  });

  it('refuses CORS_ORIGINS=* in production with a message that says what to write instead', () => {
    expect(problemsOf({ NODE_ENV: 'production', CORS_ORIGINS: '*' })).toEqual([
      'CORS_ORIGINS: `*` is not allowed when NODE_ENV=production: list the origins that may call the API, e.g. https://console.example.com',
    ]);
    expect(loadConfig({ NODE_ENV: 'development', CORS_ORIGINS: '*' }).server.corsOrigins).toBe('*');
    expect(loadConfig({ NODE_ENV: 'production', CORS_ORIGINS: 'https://console.example.com' }).server.corsOrigins).toEqual(['https://console.example.com']);
  });

  it('refuses an entry that is not an exact origin, which a browser would never match', () => {
    expect(problemsOf({ CORS_ORIGINS: 'https://console.example.com/' })).toEqual([
      'CORS_ORIGINS: "https://console.example.com/" is not an origin (scheme://host[:port], lower case, no path); write it as https://console.example.com',
    ]);
    expect(problemsOf({ CORS_ORIGINS: 'console.example.com' }).join()).toMatch(/"console.example.com" is not an origin/);
    expect(problemsOf({ CORS_ORIGINS: 'https://Console.example.com' }).join()).toMatch(/write it as https:\/\/console.example.com/);
  });
});
