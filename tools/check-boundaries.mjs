// Proves that the module-boundary rules in eslint.config.mjs really constrain: each case lints a
// would-be file inside a real project and must be rejected by @nx/enforce-module-boundaries.
import { existsSync } from 'node:fs';
import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';

const root = new URL('..', import.meta.url).pathname;
// Outside an Nx task there may be no cached project graph, and the rule then silently skips: build it.
await createProjectGraphAsync({ exitOnError: true });
const eslint = new ESLint({ cwd: root });

const cases = [
  {
    name: 'the shared contract may not import Angular',
    file: 'libs/shared/contract/src/lib/boundary-probe.ts',
    code: "import { Injectable } from '@angular/core';\nexport const probe = Injectable;\n",
  },
  {
    name: 'the shared contract may not import NestJS',
    file: 'libs/shared/contract/src/lib/boundary-probe.ts',
    code: "import { Controller } from '@nestjs/common';\nexport const probe = Controller;\n",
  },
  {
    name: 'the API may not import the SPA',
    needs: ['apps/api', 'apps/web'],
    file: 'apps/api/src/boundary-probe.ts',
    code: "import * as web from '../../web/src/main';\nexport const probe = web;\n",
  },
  {
    name: 'the SPA may not import the auth server',
    needs: ['apps/web', 'apps/auth-server'],
    file: 'apps/web/src/boundary-probe.ts',
    code: "import * as server from '../../auth-server/src/main';\nexport const probe = server;\n",
  },
];

let passed = 0;
let failed = 0;
for (const probe of cases) {
  if (probe.needs && !probe.needs.every((dir) => existsSync(`${root}${dir}/project.json`))) {
    console.log(`skipped  ${probe.name} (project not created yet)`);
    continue;
  }
  const [result] = await eslint.lintText(probe.code, { filePath: `${root}${probe.file}` });
  const hits = result.messages.filter(
    (m) => m.ruleId === '@nx/enforce-module-boundaries' && m.severity === 2,
  );
  if (hits.length > 0) {
    passed += 1;
    console.log(`rejected ${probe.name}: ${hits[0].message.split('\n')[0]}`);
  } else {
    failed += 1;
    console.error(
      `ALLOWED  ${probe.name}: the boundary rule did not fire (${JSON.stringify(result.messages)})`,
    );
  }
}
console.log(`module boundaries: ${passed} rejected as expected, ${failed} wrongly allowed`);
process.exit(failed === 0 ? 0 : 1);
