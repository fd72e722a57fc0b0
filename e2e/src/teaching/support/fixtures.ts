import { test as base } from '../../support/fixtures';
import { LabPage } from './lab-page';
import { TokenInspectorPage } from './token-inspector-page';

/** The suite's `test` plus the teaching pages' page objects. */
export const test = base.extend<{ tokenInspector: TokenInspectorPage; lab: LabPage }>({
  tokenInspector: async ({ page }, use) => use(new TokenInspectorPage(page)),
  lab: async ({ page }, use) => use(new LabPage(page)),
});

export { expect, signedInAs } from '../../support/fixtures';
