import { defineConfig } from 'vitest/config';

// Two projects: `unit` (files named *.unit.test.ts: pure logic, no database, no server, no build; runs in
// seconds with `npm run test:unit`) and `integration` (everything else: real databases on both engines,
// the compiled server). `npm test` runs both.
export default defineConfig({
  test: {
    pool: 'forks',
    // Each file gets its own database; two workers match the two cores these machines have.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 90_000,
    env: { NODE_ENV: 'test' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/**/*.unit.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/**/*.unit.test.ts', 'tests/e2e/**', 'node_modules/**'],
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
