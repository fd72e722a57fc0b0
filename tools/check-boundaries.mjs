// Proves that the module-boundary rules in eslint.config.mjs really constrain: each case lints a would-be file
// inside a project and checks that @nx/enforce-module-boundaries (or, for the teaching layer, the
// no-restricted-imports / no-restricted-syntax rule) rejects it with the expected message, and that
// the allowed imports (the control cases) still pass. The tag rules need libraries with other tags than this
// workspace has, so those cases run in a scratch copy (/tmp) with two probe libraries added.
//   node tools/check-boundaries.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratchCopy, removeScratchCopy, workspaceRoot } from './scratch-copy.mjs';

const inScratch = process.argv.includes('--scratch');
const REJECTED = 'rejected';
const ALLOWED = 'allowed';
const TEACHING = 'Core code never imports the teaching layer';

/** Cases for this workspace as it is. */
const workspaceCases = [
  {
    name: 'the shared contract may not import Angular',
    file: 'libs/shared/contract/src/lib/boundary-probe.ts',
    code: "import { Injectable } from '@angular/core';\nexport const probe = Injectable;\n",
    expect: REJECTED,
    message: 'A project tagged with "scope:shared" is not allowed to import "@angular/core"',
  },
  {
    name: 'the shared contract may not import NestJS',
    file: 'libs/shared/contract/src/lib/boundary-probe.ts',
    code: "import { Controller } from '@nestjs/common';\nexport const probe = Controller;\n",
    expect: REJECTED,
    message: 'A project tagged with "scope:shared" is not allowed to import "@nestjs/common"',
  },
  {
    name: 'the API may not import the SPA',
    file: 'apps/api/src/boundary-probe.ts',
    code: "import * as web from '../../web/src/main';\nexport const probe = web;\n",
    expect: REJECTED,
    message: 'Projects cannot be imported by a relative or absolute path',
  },
  {
    name: 'the SPA may not import the auth server',
    file: 'apps/web/src/boundary-probe.ts',
    code: "import * as server from '../../auth-server/src/main';\nexport const probe = server;\n",
    expect: REJECTED,
    message: 'Projects cannot be imported by a relative or absolute path',
  },
  // Core and teaching layer (no-restricted-imports / no-restricted-syntax in eslint.config.mjs).
  {
    name: 'the SPA shell may not import the teaching layer',
    file: 'apps/web/src/app/shell/boundary-probe.ts',
    code: "import { teachingRoutes } from '../teaching/teaching.routes';\nexport const probe = teachingRoutes;\n",
    expect: REJECTED,
    rule: 'no-restricted-imports',
    message: TEACHING,
  },
  {
    name: 'the SPA may not lazy-load a teaching page without the marked composition line',
    file: 'apps/web/src/app/boundary-probe.ts',
    code: "export const probe = () => import('./teaching/teaching.routes');\n",
    expect: REJECTED,
    rule: 'no-restricted-syntax',
    message: TEACHING,
  },
  {
    name: 'the API may not import the config doctor',
    file: 'apps/api/src/health/boundary-probe.ts',
    code: "import * as doctor from '../teaching/doctor/doctor-checks';\nexport const probe = doctor;\n",
    expect: REJECTED,
    rule: 'no-restricted-imports',
    message: TEACHING,
  },
  {
    name: 'the auth server may not import the token CLI',
    file: 'apps/auth-server/src/boundary-probe.ts',
    code: "import * as cli from './teaching/token-cli/token-cli';\nexport const probe = cli;\n",
    expect: REJECTED,
    rule: 'no-restricted-imports',
    message: TEACHING,
  },
  {
    name: "the API may not import the teaching CLIs' library",
    file: 'apps/api/src/health/boundary-probe.ts',
    code: "import { parseCliArgs } from '@sample/teaching/cli';\nexport const probe = parseCliArgs;\n",
    expect: REJECTED,
    rule: 'no-restricted-imports',
    message: TEACHING,
  },
  {
    name: 'core e2e specs may not import teaching page objects',
    file: 'e2e/src/boundary-probe.ts',
    code: "import * as lab from './teaching/lab-page';\nexport const probe = lab;\n",
    expect: REJECTED,
    rule: 'no-restricted-imports',
    message: TEACHING,
  },
  {
    name: 'teaching code may import the core (control)',
    file: 'apps/web/src/app/teaching/boundary-probe.ts',
    code: "import { RuntimeConfig } from '../config/runtime-config';\nexport const probe = RuntimeConfig;\n",
    expect: ALLOWED,
  },
  {
    name: "the token CLI may import the teaching CLIs' library (control)",
    file: 'apps/auth-server/src/teaching/token-cli/boundary-probe.ts',
    code: "import { parseCliArgs } from '@sample/teaching/cli';\nexport const probe = parseCliArgs;\n",
    expect: ALLOWED,
  },
  {
    name: 'the marked composition line may import the teaching layer (control)',
    file: 'apps/web/src/app/boundary-probe.ts',
    code: "import { teachingRoutes } from './teaching/teaching.routes'; // eslint-disable-line no-restricted-imports -- teaching layer\nexport const probe = teachingRoutes;\n",
    expect: ALLOWED,
  },
  {
    name: 'the shared contract may import zod (control)',
    file: 'libs/shared/contract/src/lib/boundary-probe.ts',
    code: "import { z } from 'zod';\nexport const probe = z;\n",
    expect: ALLOWED,
  },
  {
    name: 'the SPA may import the shared contract (control)',
    file: 'apps/web/src/boundary-probe.ts',
    code: "import { LOCAL_TENANT } from '@sample/contract';\nexport const probe = LOCAL_TENANT;\n",
    expect: ALLOWED,
  },
];

/** Probe libraries of the scratch copy: a web feature lib and a web util lib. */
const probeLibs = [
  {
    dir: 'libs/probe/web-feature',
    name: 'probe-web-feature',
    alias: '@probe/web-feature',
    tags: ['scope:web', 'type:feature'],
  },
  {
    dir: 'libs/probe/web-util',
    name: 'probe-web-util',
    alias: '@probe/web-util',
    tags: ['scope:web', 'type:util'],
  },
];
const importFeature =
  "import { probe as feature } from '@probe/web-feature';\nexport const probe = feature;\n";

/** Cases for the tag constraints, in the scratch copy. */
const scratchCases = [
  {
    name: 'the shared contract (scope:shared) may not import a scope:web lib',
    file: 'libs/shared/contract/src/lib/boundary-probe.ts',
    code: importFeature,
    expect: REJECTED,
    message: 'A project tagged with "scope:shared" can only depend on libs tagged with "scope:shared"',
  },
  {
    name: 'the API (scope:api) may not import a scope:web lib',
    file: 'apps/api/src/boundary-probe.ts',
    code: importFeature,
    expect: REJECTED,
    message:
      'A project tagged with "scope:api" can only depend on libs tagged with "scope:api", "scope:shared"',
  },
  {
    name: 'a type:util lib may not import a type:feature lib of its own scope',
    file: 'libs/probe/web-util/src/boundary-probe.ts',
    code: importFeature,
    expect: REJECTED,
    message: 'A project tagged with "type:util" can only depend on libs tagged with "type:util"',
  },
  {
    name: 'the SPA (scope:web, type:app) may import a scope:web feature lib (control)',
    file: 'apps/web/src/boundary-probe.ts',
    code: importFeature,
    expect: ALLOWED,
  },
];

async function runCases(root, cases) {
  const { createProjectGraphAsync } = await import('@nx/devkit');
  const { ESLint } = await import('eslint');
  // Outside an Nx task there may be no cached project graph, and the rule then silently skips: build it.
  await createProjectGraphAsync({ exitOnError: true });
  const eslint = new ESLint({ cwd: root });
  let wrong = 0;
  for (const probe of cases) {
    const project = probe.file.split('/src/')[0];
    if (!existsSync(join(root, project, 'project.json'))) {
      wrong += 1;
      console.error(`MISSING  ${probe.name}: no project at ${project}`);
      continue;
    }
    const [result] = await eslint.lintText(probe.code, { filePath: join(root, probe.file) });
    const rule = probe.rule ?? '@nx/enforce-module-boundaries';
    const hits = result.messages.filter((m) => m.ruleId === rule);
    const errors = result.messages.filter((m) => m.severity === 2);
    const ok =
      probe.expect === REJECTED
        ? hits.some((m) => m.severity === 2 && m.message.includes(probe.message))
        : errors.length === 0;
    if (ok) {
      console.log(
        `${probe.expect.padEnd(8)} ${probe.name}${hits[0] ? `: ${hits[0].message.split('\n')[0]}` : ''}`,
      );
    } else {
      wrong += 1;
      console.error(
        `WRONG    ${probe.name}: expected ${probe.expect}${probe.message ? ` with "${probe.message}"` : ''}, got ${JSON.stringify(result.messages.map((m) => m.message))}`,
      );
    }
  }
  return wrong;
}

if (inScratch) {
  process.exit((await runCases(process.cwd(), scratchCases)) === 0 ? 0 : 1);
}

let wrong = await runCases(workspaceRoot, workspaceCases);

// The scratch copy: the workspace's config and projects (no node_modules, linked instead) plus the probe libs.
const scratch = makeScratchCopy('boundary-check-', [
  'package.json',
  'nx.json',
  'tsconfig.base.json',
  'eslint.config.mjs',
  'apps',
  'libs',
  'tools',
]);
try {
  const tsconfig = JSON.parse(readFileSync(join(scratch, 'tsconfig.base.json'), 'utf8'));
  for (const lib of probeLibs) {
    mkdirSync(join(scratch, lib.dir, 'src'), { recursive: true });
    writeFileSync(join(scratch, lib.dir, 'src/index.ts'), 'export const probe = 1;\n');
    writeFileSync(
      join(scratch, lib.dir, 'project.json'),
      JSON.stringify({
        name: lib.name,
        sourceRoot: `${lib.dir}/src`,
        projectType: 'library',
        tags: lib.tags,
      }),
    );
    tsconfig.compilerOptions.paths[lib.alias] = [`./${lib.dir}/src/index.ts`];
  }
  writeFileSync(join(scratch, 'tsconfig.base.json'), JSON.stringify(tsconfig, null, 2));
  try {
    execFileSync(process.execPath, [join(scratch, 'tools/check-boundaries.mjs'), '--scratch'], {
      cwd: scratch,
      stdio: 'inherit',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CACHE: 'true' },
    });
  } catch {
    wrong += 1;
  }
} finally {
  removeScratchCopy(scratch);
}

console.log(
  wrong === 0 ? 'module boundaries: every case as expected' : `module boundaries: ${wrong} case(s) wrong`,
);
process.exit(wrong === 0 ? 0 : 1);
