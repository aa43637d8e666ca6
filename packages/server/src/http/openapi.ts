/** The OpenAPI 3.1 document, made from the routes' own schemas, and the /docs page that shows it. */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { type Router } from 'express';
import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { SCOPES } from '../auth/scopes.js';

export function openApiDocument(registry: OpenAPIRegistry, serverUrl: string) {
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'oauth2',
    description: 'Client credentials: POST /oauth/token, then send the token as `Authorization: Bearer …`.',
    flows: { clientCredentials: { tokenUrl: `${serverUrl}/oauth/token`, scopes: { ...SCOPES } } },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'eLicense license repository (电子证照库)',
      version: '1.0.0',
      description: 'Issue electronic licenses, manage their lifecycle and status, share them with approval systems under the holder\'s consent, and verify them. Errors are application/problem+json with a stable `code`.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: serverUrl }],
  });
}

const DOCS_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>eLicense API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="api"></div><script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

/** Swagger UI from its npm package; its start-up script is a file so the page needs no inline script. */
export function docsRouter(): Router {
  const router = express.Router();
  const assets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  router.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api', deepLinking: true });\n");
  });
  router.use('/docs/assets', express.static(assets, { maxAge: '1d', index: false }));
  return router;
}
