// Bundles the CLI into one CommonJS script (dist/elicense.cjs), so a command starts without compiling
// TypeScript first: about a third of the start-up time of running the sources through tsx. The binary
// uses the bundle only while it is newer than every source file, and runs it with V8's code cache (see
// bin/elicense.mjs): CommonJS because Node 20 can cache the compiled code of a script, not of a module.
import { build } from 'esbuild';
import { utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { precompiledFieldsPlugin } from '../../../packages/sdk/scripts/precompiled-fields.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const outfile = here('../dist/elicense.cjs');

/**
 * fontkit costs about a sixth of the CLI's start-up to initialise (it decompresses its Brotli dictionary
 * and Unicode tables at load), and only commands that draw text need it: this stand-in loads it on the
 * first font parsed. Core uses fontkit only through `create`.
 */
const fontkitOnFirstUse = {
  name: 'fontkit-on-first-use',
  setup(build) {
    build.onResolve({ filter: /^@pdf-lib\/fontkit$/ }, (args) =>
      args.namespace === 'fontkit-on-first-use' ? undefined : { path: '@pdf-lib/fontkit', namespace: 'fontkit-on-first-use', pluginData: args.resolveDir });
    build.onLoad({ filter: /.*/, namespace: 'fontkit-on-first-use' }, (args) => ({
      contents: "let fontkit; export default { create(...args) { fontkit ??= require('@pdf-lib/fontkit'); return fontkit.create(...args); } };",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [here('../src/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  tsconfig: here('../../../tsconfig.json'),
  // The sources find files beside themselves through import.meta.url, which a script does not have.
  define: { 'import.meta.url': '__elicenseModuleUrl' },
  banner: { js: "const __elicenseModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // Packages that find files next to themselves (the font, resvg's native binary) stay in node_modules;
  // the CLI depends on the font package itself so the bundle resolves it from here.
  external: ['@expo-google-fonts/noto-serif-sc', '@resvg/resvg-js'],
  // The shipped license types' field validators compiled at build time (as in the SDK's browser bundle):
  // compiling them with Ajv at run time was a tenth of a verification's start-up.
  plugins: [fontkitOnFirstUse, await precompiledFieldsPlugin()],
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  legalComments: 'none',
});

// esbuild leaves an unchanged output untouched; the binary compares times, so mark it as built now.
const now = new Date();
utimesSync(outfile, now, now);
