// Core checks a license's 照面 fields with Ajv, and Ajv turns each schema into code with `new Function`:
// a page under a Content Security Policy without 'unsafe-eval' (helmet's default, the repository's own
// /verify page) refuses that, and every JSON or PDF license would fail to verify there. So the browser
// bundle carries the shipped license types' validators compiled here, at build time (Ajv standalone
// code, same options as core), behind an Ajv2020 whose compile() returns them; a schema it does not
// know (a deployment's own type) still goes to Ajv, which needs 'unsafe-eval'.
import { build } from 'esbuild';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const coreLicense = fileURLToPath(new URL('../../core/src/license/', import.meta.url));
const requireFromCore = createRequire(join(coreLicense, 'fields-schema.ts'));
const AJV_ENTRY = /^ajv\/dist\/2020(\.js)?$/;
const SHIM = 'elicense-precompiled-ajv';

/** The shipped types' field schemas, read from core's sources (bundled for Node, then imported). */
async function shippedSchemas() {
  const result = await build({
    stdin: { contents: `export { defaultLicenseTypes } from './registry.ts';`, resolveDir: coreLicense, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const folder = await mkdtemp(join(tmpdir(), 'elicense-sdk-build-'));
  try {
    const file = join(folder, 'types.mjs');
    await writeFile(file, result.outputFiles[0].contents);
    const { defaultLicenseTypes } = await import(pathToFileURL(file).href);
    return defaultLicenseTypes.map((type) => type.fieldsSchema);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** ES module source exporting validator `s<i>` for schema i. */
function standaloneValidators(schemas) {
  const { Ajv2020 } = requireFromCore('ajv/dist/2020.js');
  const formats = requireFromCore('ajv-formats');
  const standaloneCode = requireFromCore('ajv/dist/standalone/index.js').default;
  const ajv = new Ajv2020({ allErrors: true, strict: true, code: { source: true, esm: true } });
  formats(ajv);
  const names = {};
  schemas.forEach((schema, i) => {
    ajv.addSchema(schema, `s${i}`);
    names[`s${i}`] = `s${i}`;
  });
  return standaloneCode(ajv, names);
}

function shimSource(schemas) {
  return `import { Ajv2020 as Ajv2020Base } from 'ajv/dist/2020.js';
import * as compiled from '${SHIM}/validators';
const schemas = ${JSON.stringify(schemas)};
const precompiled = new Map(schemas.map((schema, i) => [JSON.stringify(schema), compiled['s' + i]]));
export class Ajv2020 extends Ajv2020Base {
  compile(schema, meta) {
    return precompiled.get(JSON.stringify(schema)) ?? super.compile(schema, meta);
  }
}
export default Ajv2020;
`;
}

/** The esbuild plugin: core's `ajv/dist/2020.js` import becomes the shim; the shim's own import stays Ajv. */
export async function precompiledFieldsPlugin() {
  const schemas = await shippedSchemas();
  const validators = standaloneValidators(schemas);
  const shim = shimSource(schemas);
  return {
    name: 'precompiled-license-fields',
    setup(build) {
      build.onResolve({ filter: AJV_ENTRY }, (args) => (args.namespace === SHIM ? undefined : { path: 'shim', namespace: SHIM }));
      build.onResolve({ filter: new RegExp(`^${SHIM}/validators$`) }, () => ({ path: 'validators', namespace: SHIM }));
      // Both modules resolve their imports (ajv, ajv-formats) as core's sources do.
      build.onLoad({ filter: /.*/, namespace: SHIM }, (args) => ({
        contents: args.path === 'shim' ? shim : validators,
        loader: 'js',
        resolveDir: coreLicense,
      }));
    },
  };
}
