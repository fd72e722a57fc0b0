import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { urls } from './src/support/urls';

// Debian's Chromium (or any other) instead of Playwright's own download: PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH=/usr/bin/chromium
const executablePath = process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH'] || undefined;
if (executablePath && !existsSync(executablePath)) {
  throw new Error(
    `PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH is ${JSON.stringify(executablePath)}, but no browser is there. ` +
      'Install one (Debian: apt-get install chromium, then /usr/bin/chromium), ' +
      "or unset the variable to use Playwright's own browser (npx playwright install chromium).",
  );
}
// Flags for a locked-down machine (root, no GPU, no outbound network); harmless elsewhere.
const lockedDownArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// Against a running stack (docker compose): E2E_EXTERNAL=true and the E2E_*_URL variables; no servers started.
const external = process.env['E2E_EXTERNAL'] === 'true';
const ci = !!process.env['CI'];

/** One server started by `nx run <app>:serve`, ready when its health URL answers. */
function devServer(project: string, url: string) {
  return {
    command: `npx nx run ${project}:serve`,
    cwd: '..',
    url,
    reuseExistingServer: !ci,
    timeout: 180_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
  };
}

export default defineConfig({
  testDir: './src',
  outputDir: './test-results',
  fullyParallel: false,
  forbidOnly: ci,
  retries: ci ? 1 : 0,
  workers: 1,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: ci
    ? [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]]
    : [['list'], ['html', { outputFolder: 'playwright-report', open: 'on-failure' }]],
  use: {
    baseURL: urls.web,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: executablePath ? { executablePath, args: lockedDownArgs } : {},
  },
  projects: [
    { name: 'setup', testMatch: /.*\.setup\.ts/, use: { ...devices['Desktop Chrome'] } },
    {
      name: 'chromium',
      testMatch: /.*\.e2e\.ts/,
      use: { ...devices['Desktop Chrome'] },
      dependencies: ['setup'],
    },
  ],
  webServer: external
    ? undefined
    : [
        devServer('auth-server', `${urls.auth}/.well-known/openid-configuration`),
        devServer('api', `${urls.api}/health`),
        devServer('web', urls.web),
      ],
});
