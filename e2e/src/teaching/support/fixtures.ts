import { test as base } from '../../support/fixtures';
import { LabPage } from './lab-page';
import { TokenInspectorPage } from './token-inspector-page';

/** The suite's `test` plus the teaching pages' page objects, and `useDpop` for the served config.json. */
export const test = base.extend<{
  tokenInspector: TokenInspectorPage;
  lab: LabPage;
  /** Serve config.json with `"useDpop": true` (`test.use({ useDpop: true })`); false leaves the file as it is. */
  useDpop: boolean;
  dpopConfig: void;
}>({
  tokenInspector: async ({ page }, use) => use(new TokenInspectorPage(page)),
  lab: async ({ page }, use) => use(new LabPage(page)),
  useDpop: [false, { option: true }],
  dpopConfig: [
    async ({ page, useDpop }, use) => {
      if (useDpop) {
        // The served file with useDpop on, before the app reads it: the SDK then binds its tokens to its key.
        await page.route('**/config.json', async (route) => {
          const response = await route.fetch();
          const json = (await response.json()) as Record<string, unknown>;
          await route.fulfill({ response, json: { ...json, useDpop: true } });
        });
      }
      await use();
    },
    { auto: true },
  ],
});

export { expect, signedInAs } from '../../support/fixtures';
