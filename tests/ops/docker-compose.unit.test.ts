import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVER_NODE_OPTIONS } from '../../bench/server';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  expose?: string[];
  deploy?: { replicas?: number };
}

describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
  const db = compose.services.db!;
  const app = compose.services.app!;
  const proxy = compose.services.proxy!;

  it('runs PostgreSQL 16 or newer with a named volume and a healthcheck', () => {
    const version = Number(/^postgres:(\d+)/.exec(db.image ?? '')?.[1]);
    expect(version).toBeGreaterThanOrEqual(16);
    const volume = db.volumes?.[0]?.split(':')[0];
    expect(volume && volume in compose.volumes).toBe(true);
    expect(db.healthcheck?.test.join(' ')).toContain('pg_isready');
  });

  it('builds the app from the Dockerfile and points DATABASE_URL at the database service', () => {
    expect(app.build).toBe('.');
    expect(fs.existsSync(path.join(ROOT, 'Dockerfile'))).toBe(true);
    const url = new URL(app.environment?.DATABASE_URL ?? '');
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('db');
    expect(url.username).toBe(db.environment?.POSTGRES_USER);
    expect(url.pathname).toBe(`/${db.environment?.POSTGRES_DB}`);
    expect(app.environment?.NODE_ENV).toBe('production');
    expect(app.environment?.SESSION_SECRET).toBeTruthy();
  });

  it('runs the app with the V8 heap sizing the benchmark measures', () => {
    expect(app.environment?.NODE_OPTIONS).toBe(SERVER_NODE_OPTIONS);
  });

  it('starts the app only once the database is healthy', () => {
    expect(app.depends_on?.db?.condition).toBe('service_healthy');
  });

  it('replicates the app behind a reverse proxy, which alone is published', () => {
    expect(app.deploy?.replicas).toBeGreaterThanOrEqual(2);
    // A published host port would clash between replicas and bypass the proxy.
    expect(app.ports).toBeUndefined();
    expect(app.expose).toContain(app.environment?.PORT);
    expect(proxy.ports).toEqual(['3000:80']);
    expect(proxy.depends_on?.app?.condition).toBe('service_healthy');
    const nginx = Number(/^nginx:1\.(\d+)/.exec(proxy.image ?? '')?.[1]);
    // `server … resolve` in an upstream (re-resolving the replicas) is in open-source nginx from 1.27.3.
    expect(nginx).toBeGreaterThanOrEqual(28);
  });

  it('mounts a proxy configuration that balances over every replica and keeps only what the app marks public', () => {
    const mount = proxy.volumes?.find((v) => v.includes('/etc/nginx/'));
    const [source, target] = (mount ?? '').split(':');
    expect(target).toBe('/etc/nginx/conf.d/default.conf');
    const file = path.join(ROOT, source ?? '');
    expect(path.relative(ROOT, file).startsWith(`docs${path.sep}deploy${path.sep}`)).toBe(true);
    const conf = fs.readFileSync(file, 'utf8').replace(/#.*$/gm, '');
    expect(conf).toMatch(/upstream kawal_janji \{[^}]*server app:3000 resolve/);
    expect(conf).toMatch(/resolver 127\.0\.0\.11/);
    expect(conf).toMatch(/proxy_pass http:\/\/kawal_janji;/);
    expect(conf).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    expect(conf).toMatch(/proxy_set_header Host \$host;/);
    // The app's Cache-Control decides: private newsroom pages must never be kept or shared.
    expect(conf).not.toMatch(/proxy_ignore_headers/);
    expect(conf).not.toMatch(/proxy_cache_valid/);
    // Live-event streams pass through unbuffered, uncached, and stay open longer than a page request.
    const stream = /location ~ \^\/events\/\[\^\/\]\+\/stream\$ \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    expect(stream).toMatch(/proxy_buffering off;/);
    expect(stream).toMatch(/proxy_cache off;/);
    expect(stream).toMatch(/proxy_read_timeout 1h;/);
    // Braces balance (a cheap syntax check; nginx itself is not installed here).
    expect(conf.split('{').length).toBe(conf.split('}').length);
  });
});
