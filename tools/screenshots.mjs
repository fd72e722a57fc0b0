// Retakes the README screenshots (apps/web/docs/*.png) with headless Chromium against a running stack
// (npm start, or docker compose up): logs in through the real login page and captures each page in use.
//   npm run screenshots                     # Playwright's Chromium, or PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH
// URLs: E2E_WEB_URL (http://localhost:4200). Demo passwords come from the tenant file.
import { readFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';

const web = process.env.E2E_WEB_URL ?? 'http://localhost:4200';
const out = new URL('../apps/web/docs/', import.meta.url).pathname;
const tenant = JSON.parse(
  await readFile(new URL('../apps/auth-server/tenant.json', import.meta.url), 'utf8'),
);
const password = (email) => tenant.users.find((user) => user.email === email).password;
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH || undefined;

const browser = await chromium.launch({
  executablePath,
  // Flags for a locked-down machine (root, no GPU, no outbound network); harmless elsewhere.
  args: executablePath
    ? [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ]
    : [],
});

async function signedInPage(email) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(web);
  await page.getByRole('banner').getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password(email));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('banner').getByRole('button', { name: 'Log out' }).waitFor();
  return page;
}

const nav = (page, name) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

async function shoot(page, name) {
  await page.screenshot({ path: `${out}${name}.png`, fullPage: true });
  console.log(`apps/web/docs/${name}.png`);
}

try {
  const reader = await signedInPage('reader@example.com');
  await shoot(reader, 'home');
  await nav(reader, 'Profile');
  await reader.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
  await shoot(reader, 'profile');
  await nav(reader, 'Call the API');
  for (const path of ['/api/messages/protected', '/api/messages/admin']) {
    await reader.getByRole('button', { name: `Call GET ${path}`, exact: true }).click();
  }
  await reader.getByText('insufficient_permission', { exact: true }).first().waitFor();
  await shoot(reader, 'api');
  // teaching layer: begin
  await nav(reader, 'Token inspector');
  await reader.getByRole('heading', { name: 'Token inspector', level: 1 }).waitFor();
  await shoot(reader, 'tokens');

  const admin = await signedInPage('admin@example.com');
  await nav(admin, 'Break it lab');
  await admin.getByRole('button', { name: 'Reproduce id_token_used', exact: true }).click();
  await admin.getByText('as expected').first().waitFor();
  await shoot(admin, 'lab');
  // teaching layer: end
} finally {
  await browser.close();
}
