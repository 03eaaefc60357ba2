import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the BUILT extension (`npx wxt build` first; `npm test` does it) in
 * Debian's /usr/bin/chromium through tests/e2e/fixtures.ts. No `projects` with browser
 * names: Playwright's own browser downloads do not work here and are never needed.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  // Each simulated person is a whole Chromium; two cores cannot run tests side by side.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  outputDir: 'test-results',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
