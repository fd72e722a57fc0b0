// Bundles the API to one CommonJS file for Node 24; node_modules stay external (Nest 12's ESM-only packages
// load through require(esm)). The tsc compiler emits the decorator metadata Nest's dependency injection reads.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/api'),
    clean: true,
  },
  devtool: 'source-map',
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      // The config doctor (npm run doctor) ships beside the API, so it runs wherever the API does. // teaching layer
      additionalEntryPoints: [{ entryName: 'doctor', entryPath: './src/teaching/doctor/doctor.ts' }], // teaching layer
      tsConfig: './tsconfig.app.json',
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      // tsc's decorator helpers come from tslib (importHelpers), which the project graph does not list.
      runtimeDependencies: ['tslib'],
      sourceMap: true,
    }),
  ],
};
