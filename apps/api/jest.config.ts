// Jest runs in CommonJS mode: @swc/jest compiles the TypeScript (legacy decorators + metadata, as Nest needs)
// and also the ESM-only packages below (Nest 12, jose 6 required by jwks-rsa 4), which Jest cannot require as is.
const esmPackages = ['@nestjs', 'jose'];

export default {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.[cm]?[tj]s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs'],
  coverageDirectory: '../../coverage/apps/api',
};
