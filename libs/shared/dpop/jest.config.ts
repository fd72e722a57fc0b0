export default {
  displayName: 'dpop',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  // jose 6 is ESM-only: @swc/jest compiles it too, since Jest runs in CommonJS mode.
  transform: {
    '^.+\\.[cm]?[tj]s$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs'],
  coverageDirectory: '../../../coverage/libs/shared/dpop',
};
