// esbuild options of the auth-server build (project.json: build.options.esbuildConfig). Nx passes main.ts as the
// entry point; the plugin below adds the other programs, each under the output name it is run by.

/** Programs bundled beside main.mjs: `out` is the file name in dist/apps/auth-server, without `.mjs`. */
const programs = [
  { in: 'apps/auth-server/src/teaching/token-cli/token.ts', out: 'token' }, // teaching layer
];

export default {
  outdir: 'dist/apps/auth-server',
  // ESM, as oidc-provider 9 is ESM-only.
  outExtension: { '.js': '.mjs' },
  plugins: [
    {
      name: 'programs',
      setup(build) {
        // esbuild reads entry points changed during setup; Nx sets only main.ts.
        build.initialOptions.entryPoints = [...build.initialOptions.entryPoints, ...programs];
      },
    },
  ],
};
