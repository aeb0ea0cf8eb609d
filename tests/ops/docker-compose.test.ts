import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
}

describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
  const db = compose.services.db!;
  const app = compose.services.app!;

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

  it('starts the app only once the database is healthy', () => {
    expect(app.depends_on?.db?.condition).toBe('service_healthy');
  });
});
