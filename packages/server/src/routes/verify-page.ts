/**
 * The platform's verification page, GET /verify: a clerk drops a license file or a photo of its QR code
 * and the browser verifies it with the SDK; the file never reaches the server. The page is HTML, a
 * stylesheet and module scripts from /assets (no inline script, so helmet's CSP stands as it is). The
 * server writes its public URL and the trust-list operator certificate into the page: the page is the
 * platform's own, so it pins the platform's operator.
 *
 * The scripts are built at install (the root `prepare`); a server started without them says so at
 * /verify instead of serving a page that cannot work.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response, Router } from 'express';
import { toPem } from '@elicense/core';
import type { ServerContext } from '../context.js';
import { Problem, sendProblem } from '../http/problem.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const sdkPackage = dirname(dirname(createRequire(import.meta.url).resolve('@elicense/sdk')));

/** What /assets serves, by name: the file and its media type. */
const ASSETS: Readonly<Record<string, { file: string; type: string; build: string }>> = {
  'elicense-sdk.browser.js': { file: join(sdkPackage, 'dist/elicense-sdk.browser.js'), type: 'text/javascript', build: 'node packages/sdk/scripts/build-browser.mjs' },
  'verify-page.js': { file: here('../../dist/web/verify-page.js'), type: 'text/javascript', build: 'node packages/server/scripts/build-web.mjs' },
  'verify-page.css': { file: here('../web/verify-page.css'), type: 'text/css', build: '(part of the sources)' },
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function missingAssets(): string[] {
  return Object.entries(ASSETS).filter(([, asset]) => !existsSync(asset.file)).map(([name, asset]) => `${name} (${asset.build})`);
}

function notBuiltPage(missing: readonly string[]): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>核验页面不可用</title></head>
<body><h1>核验页面不可用 / The verification page is not built</h1>
<p>The page's browser scripts are missing: ${missing.map(escapeHtml).join(', ')}. They are built by <code>pnpm install</code>
(its prepare step), or by the commands in parentheses, run from the repository root.</p></body></html>`;
}

function page(publicUrl: string, operatorPem: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>电子证照核验</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/verify-page.css">
<link rel="modulepreload" href="/assets/elicense-sdk.browser.js">
<script type="module" src="/assets/verify-page.js"></script>
</head>
<body>
<main id="verify" data-public-url="${escapeHtml(publicUrl)}" data-operator-certificate="${escapeHtml(operatorPem)}">
<header>
<h1>电子证照核验</h1>
<p>拖入电子证照文件（PDF、JSON、OFD）或证照二维码的照片。核验在本机浏览器中完成，文件不会上传到服务器。</p>
</header>
<label class="drop" id="drop">
<strong>拖放文件到此处，或点击选择文件</strong>
<span>支持 PDF、签名 JSON、OFD 证照文件，以及二维码照片（PNG、JPEG 等）</span>
<input type="file" id="file" accept=".pdf,.json,.jws,.jwt,.ofd,.ses,application/pdf,application/json,image/*">
</label>
<noscript><p>核验在浏览器中进行，需要启用 JavaScript。</p></noscript>
<div id="result" hidden aria-live="polite"></div>
<footer>核验依据本平台发布的信任列表、证书吊销列表和证照状态列表；只下载这些公开文件，不发送您的证照。</footer>
</main>
</body>
</html>`;
}

export function verifyPageRoutes(router: Router, ctx: ServerContext): void {
  let operatorPem: Promise<string> | undefined;
  const operatorCertificate = () => {
    operatorPem ??= ctx.keys.platformSigner('trust-list-operator').then((signer) => toPem('CERTIFICATE', signer.certificates[0]!));
    operatorPem.catch(() => { operatorPem = undefined; });
    return operatorPem;
  };

  router.get('/verify', async (req: Request, res: Response) => {
    const missing = missingAssets();
    if (missing.length > 0) {
      ctx.log.error({ missing }, 'the /verify page cannot be served: its browser scripts are not built (run pnpm install)');
      res.status(503).set('Cache-Control', 'no-store').type('html').send(notBuiltPage(missing));
      return;
    }
    res.set('Cache-Control', 'no-cache').type('html').send(page(ctx.config.publicUrl, await operatorCertificate()));
  });

  router.get('/assets/:name', (req: Request, res: Response) => {
    const name = String(req.params.name);
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) {
      sendProblem(res, new Problem('NOT_FOUND', `no asset ${req.params.name}`), String(req.id));
      return;
    }
    if (!existsSync(asset.file)) {
      sendProblem(res, new Problem('NOT_READY', `${req.params.name} is not built: run pnpm install (or ${asset.build})`), String(req.id));
      return;
    }
    // Revalidated on every use (ETag): a rebuilt page script is picked up at once.
    res.sendFile(asset.file, { headers: { 'Content-Type': `${asset.type}; charset=utf-8`, 'Cache-Control': 'no-cache' } });
  });
}
