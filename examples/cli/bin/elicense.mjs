#!/usr/bin/env node
// The elicense binary. It runs the bundle in dist/ when that is newer than every source file it was
// built from (`pnpm install` builds it; so does `pnpm build`), with V8's code cache (code-cache.mjs),
// and otherwise the TypeScript sources through tsx, so an edited source is never shadowed by a stale bundle.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runWithCodeCache } from './code-cache.mjs';

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const bundle = path('../dist/elicense.cjs');
const sources = [path('../src'), path('../../../packages/core/src'), path('../../../packages/platform/src'), path('../../../packages/sdk/src')];

function newestSource() {
  let newest = 0;
  for (const dir of sources) {
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
    }
  }
  return newest;
}

let bundleStats;
try {
  bundleStats = statSync(bundle);
} catch {
  // No bundle yet: run the sources.
}
if (bundleStats && bundleStats.mtimeMs > newestSource()) {
  runWithCodeCache(bundle, bundleStats);
} else {
  // The repository's tsconfig is named explicitly: from another working directory tsx would not find
  // it, and the ASN.1 schemas need its decorator setting.
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: path('../../../tsconfig.json') });
  await import('../src/main.ts');
}
