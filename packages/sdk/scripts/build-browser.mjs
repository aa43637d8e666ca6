// Bundles the SDK (with @elicense/core) into one ES module for browsers: dist/elicense-sdk.browser.js.
// The build fails if any node:* module is imported anywhere in the graph: the SDK must run on fetch
// and WebCrypto alone. The shipped license types' field validators are compiled in (precompiled-fields.mjs),
// so the bundle runs under a Content Security Policy without 'unsafe-eval'.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { precompiledFieldsPlugin } from './precompiled-fields.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
export const browserBundle = here('../dist/elicense-sdk.browser.js');

const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({
      errors: [{ text: `${args.path} is imported by ${args.importer}: the browser bundle cannot use Node built-ins` }],
    }));
  },
};

export async function buildBrowserBundle() {
  const result = await build({
    entryPoints: [here('../src/index.ts')],
    outfile: browserBundle,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['chrome110', 'firefox115', 'safari16'],
    tsconfig: here('../tsconfig.json'),
    plugins: [noNodeBuiltins, await precompiledFieldsPlugin()],
    minify: true,
    sourcemap: false,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
  });
  return { file: browserBundle, bytes: Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { file, bytes } = await buildBrowserBundle();
    console.log(`${file}: ${(bytes / 1024).toFixed(0)} KiB`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
