export default {
  displayName: 'web',
  preset: '../../jest.preset.js',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  coverageDirectory: '../../coverage/apps/web',
  transform: {
    '^.+\\.(ts|js|mts|mjs|cts|cjs|html)$': [
      'jest-preset-angular',
      { tsconfig: '<rootDir>/tsconfig.spec.json', stringifyContentPathRegex: '\\.(html|svg)$' },
    ],
  },
  // Angular's .mjs bundles and jose 6 (ESM-only; @sample/dpop's thumbprints in the teaching layer) are compiled for
  // Jest's CommonJS.
  transformIgnorePatterns: ['node_modules/(?!(.*\\.mjs$|jose/))'],
  testEnvironment: 'jsdom',
};
