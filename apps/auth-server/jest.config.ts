// Jest runs in its native ESM mode (the test target sets NODE_OPTIONS=--experimental-vm-modules): oidc-provider,
// openid-client and jose are ESM-only and are loaded untransformed, exactly as the built server loads them.
export default {
  displayName: 'auth-server',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/'],
  // The Nx preset forces the `require` export condition (CommonJS); ESM mode needs the packages' `import` entries.
  testEnvironmentOptions: {},
  moduleFileExtensions: ['ts', 'js', 'mjs'],
  testTimeout: 20_000,
  coverageDirectory: '../../coverage/apps/auth-server',
};
