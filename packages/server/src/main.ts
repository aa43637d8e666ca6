/** `pnpm start`: the license repository on the configuration in the environment. */
import { relative } from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { startServer } from './server.js';

function fail(message: string): never {
  process.stderr.write(`elicense-server: ${message}\n`);
  process.exit(2);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}

const running = await startServer(config).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
const base = running.ctx.config.publicUrl;
const shown = (path: string) => relative(process.cwd(), path) || path;
process.stdout.write(`
eLicense license repository (电子证照库) is running
  URL            ${base}   (listening on ${running.url}, ${running.ctx.dialect === 'sqlite' ? `SQLite in ${shown(config.dataDir)}` : 'PostgreSQL'})
  API docs       ${base}/docs        OpenAPI: ${base}/openapi.json
  trust list     ${base}/.well-known/elicense/trust-list.json
${running.demoCredentialsFile ? `  demo clients   ${shown(running.demoCredentialsFile)}   (issuing offices, an approval system, a holder's agent, an admin)${running.createdDemo ? '\n                 a demo platform was created: two offices, seals, a trust list and four licenses' : ''}
  try            curl -s -u approval-system:<secret> -d grant_type=client_credentials ${base}/oauth/token
` : ''}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    running.close().then(() => process.exit(0), () => process.exit(1));
  });
}
