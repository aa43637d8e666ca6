// Builds the repository's own browser page scripts into dist/web: the /verify page (src/web/verify-page.ts,
// with jsQR bundled in). The SDK stays a separate file the page imports from /assets, as any
// integrator's page would (packages/sdk/scripts/build-browser.mjs builds it).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
export const SDK_ASSET_PATH = '/assets/elicense-sdk.browser.js';
export const webOutputs = { verifyPage: here('../dist/web/verify-page.js') };

/** @elicense/sdk is not bundled: it is loaded from the server's copy of the SDK's browser bundle. */
const sdkFromAssets = {
  name: 'sdk-from-assets',
  setup(build) {
    build.onResolve({ filter: /^@elicense\/sdk$/ }, () => ({ path: SDK_ASSET_PATH, external: true }));
  },
};

export async function buildWeb() {
  await build({
    entryPoints: [here('../src/web/verify-page.ts')],
    outfile: webOutputs.verifyPage,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['chrome110', 'firefox115', 'safari16'],
    plugins: [sdkFromAssets],
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return webOutputs;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const outputs = await buildWeb();
    console.log(Object.values(outputs).join('\n'));
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
