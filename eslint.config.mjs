import nx from '@nx/eslint-plugin';

/**
 * Workspace lint rules. Module boundaries are the point: tags are `scope:*` x `type:*`, and every
 * constraint below really forbids something (see tools/check-boundaries.mjs, which proves it).
 */
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: [
      '**/dist',
      '**/out-tsc',
      '**/.angular',
      '**/test-output',
      '**/playwright-report',
      '**/test-results',
    ],
  },
  {
    // Core and teaching layer: the teaching features (token inspector, break-it lab, config doctor, token CLI) live
    // only in folders named teaching/, and nothing outside such a folder imports from one. The one composition
    // line (the SPA's routes) says so with an eslint-disable-line comment ending in "teaching layer", which
    // tools/drop-teaching.mjs removes together with the folders.
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx', '**/*.mjs'],
    ignores: ['**/teaching/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)teaching(/|$)',
              message: 'Core code never imports the teaching layer (teaching/ folders): see docs/recipes.md.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression[source.value=/(^|\\/)teaching(\\/|$)/]',
          message: 'Core code never imports the teaching layer (teaching/ folders): see docs/recipes.md.',
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            // Scopes: each app sees only its own scope and the shared contract; apps never import each other.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
            {
              sourceTag: 'scope:auth-server',
              onlyDependOnLibsWithTags: ['scope:auth-server', 'scope:shared'],
            },
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Types: nothing may depend on an app or an e2e project; util libs depend on util libs only.
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util'],
            },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:util'] },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util'],
            },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            // The shared contract is framework-free: browser, Node and every app can load it.
            {
              sourceTag: 'scope:shared',
              bannedExternalImports: [
                '@angular/*',
                '@nestjs/*',
                '@auth0/*',
                'rxjs',
                'express',
                'koa',
                'oidc-provider',
                'passport',
                'passport-*',
                'jwks-rsa',
              ],
            },
          ],
        },
      ],
    },
  },
];
