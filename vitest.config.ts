import { defineConfig } from 'vitest/config';

/**
 * Three projects, all in Node: `unit` (fast, one module at a time; tests that need IndexedDB
 * import 'fake-indexeddb/auto' themselves), `convergence` (seeded fuzz of replicas over an
 * in-memory transport) and `integration` (a real sync server on port 0). Browser tests are
 * Playwright's (tests/e2e), not Vitest's. Run one project with `npx vitest run --project unit`.
 */
export default defineConfig({
  test: {
    environment: 'node',
    // Vitest's `.only` would silently skip the rest of a suite in CI.
    allowOnly: false,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'convergence',
          include: ['tests/convergence/**/*.test.ts'],
          // Fuzz runs many seeds; a slow CI core should not turn a pass into a timeout.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // A real server, real sockets and reconnect back-off: seconds, not milliseconds.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
