import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, PLAIN_HTTP_WARNING, startupWarnings } from '../../src/config';

describe('configuration', () => {
  it('has defaults that make `npm start` work with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      databaseUrl: undefined,
      baseUrl: 'http://localhost:3000',
    });
    expect(config.dataDir).toMatch(/data$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats an empty DATABASE_URL as unset and trims BASE_URL’s trailing slash', () => {
    const config = loadConfig({ DATABASE_URL: '', BASE_URL: 'https://kawaljanji.id/' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.baseUrl).toBe('https://kawaljanji.id');
  });

  it('requires a long SESSION_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).isProduction).toBe(true);
  });

  it('delays stopping after SIGTERM by 5 s in production and not at all otherwise, unless told', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) };
    expect(loadConfig(production).shutdownDelayMs).toBe(5_000);
    expect(loadConfig({}).shutdownDelayMs).toBe(0);
    expect(loadConfig({ ...production, SHUTDOWN_DELAY_MS: '0' }).shutdownDelayMs).toBe(0);
    expect(loadConfig({ SHUTDOWN_DELAY_MS: '1500' }).shutdownDelayMs).toBe(1_500);
    expect(() => loadConfig({ SHUTDOWN_DELAY_MS: '-1' })).toThrow(/SHUTDOWN_DELAY_MS/);
    expect(() => loadConfig({ SHUTDOWN_DELAY_MS: 'soon' })).toThrow(/SHUTDOWN_DELAY_MS/);
  });

  it('refuses a port or URL that is not one', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });

  it('warns at start when production runs with an http: BASE_URL, and only then', () => {
    const secret = { SESSION_SECRET: 'a-session-secret-for-these-tests-only-0123' };
    const plain = loadConfig({ ...secret, NODE_ENV: 'production', BASE_URL: 'http://kawal.test' });
    expect(startupWarnings(plain).map((w) => w.msg)).toEqual([PLAIN_HTTP_WARNING]);
    const secure = loadConfig({ ...secret, NODE_ENV: 'production', BASE_URL: 'https://kawal.test' });
    expect(startupWarnings(secure)).toEqual([]);
    expect(startupWarnings(loadConfig({ BASE_URL: 'http://localhost:3000' }))).toEqual([]);
  });
});
