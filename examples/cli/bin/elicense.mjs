#!/usr/bin/env node
// The elicense binary: runs the TypeScript sources directly through tsx's loader. The repository's
// tsconfig is named explicitly: from any other working directory tsx would not find it, and the
// ASN.1 schemas need its decorator setting.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
await import('../src/main.ts');
