/** What anyone may fetch: status lists, the trust list, certificates and CRLs, the license-type catalogue. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { toPem } from '@elicense/core';
import type { ServerContext } from '../context.js';
import { Problem } from '../http/problem.js';
import { defineRoute, type RouteHost } from '../http/route.js';
import { currentStatusList } from '../services/status-lists.js';
import { currentTrustList } from '../services/trust-list.js';
import { certificatesOf } from '../keystore.js';
import { readSetting } from '../services/settings.js';

export function publicRoutes(host: RouteHost, ctx: ServerContext): void {
  defineRoute(host, {
    method: 'get',
    path: '/status/:typeCode/:purpose/:listNo',
    summary: 'A Bitstring Status List credential (signed JWS)',
    description: 'Cache-Control tells verifiers how long they may keep it: the longest a revocation can go unseen. Supports If-None-Match.',
    tags: ['Status'],
    scopes: 'public',
    params: z.object({ typeCode: z.string().max(32), purpose: z.enum(['revocation', 'suspension']), listNo: z.coerce.number().int().min(0).max(1e9) }),
    responses: { 200: { description: 'The list', contentType: 'application/vc+jwt' }, 304: { description: 'Not modified' }, 404: { description: 'No such list' } },
  }, async ({ params }, req, res) => {
    const list = await currentStatusList(ctx, params.typeCode, params.purpose, params.listNo);
    if (!list) throw new Problem('NOT_FOUND', 'no status list here');
    res.set({ 'Cache-Control': `public, max-age=${ctx.config.statusMaxAgeSeconds}`, ETag: `"${list.etag}"`, 'Last-Modified': list.signedAt.toUTCString() });
    if (req.get('If-None-Match') === `"${list.etag}"`) {
      res.status(304).end();
      return;
    }
    res.type('application/vc+jwt').send(list.signed);
  });

  defineRoute(host, {
    method: 'get',
    path: '/.well-known/elicense/trust-list.json',
    summary: 'The platform\'s signed trust list: offices, their CAs, certificates, seals and license types',
    tags: ['Trust'],
    scopes: 'public',
    responses: { 200: { description: 'JWS JSON serialisation' } },
  }, async (_input, req, res) => {
    const { signed, sequence } = await currentTrustList(ctx);
    const etag = `"tl-${sequence}"`;
    res.set({ 'Cache-Control': 'public, max-age=300', ETag: etag });
    if (req.get('If-None-Match') === etag) {
      res.status(304).end();
      return;
    }
    res.type('application/json').send(signed);
  });

  defineRoute(host, {
    method: 'get',
    path: '/.well-known/elicense/certificates.pem',
    summary: 'The CA, issuer, status-list, trust-list operator and TSA certificates, PEM',
    tags: ['Trust'],
    scopes: 'public',
    responses: { 200: { description: 'PEM certificates', contentType: 'application/pem-certificate-chain' } },
  }, async (_input, _req, res) => {
    const rows = await ctx.db.selectFrom('signing_keys').select(['id', 'owner_code', 'role', 'chain_pem']).where('active', '=', 1).where('role', '!=', 'token').orderBy('role').orderBy('id').execute();
    const text = rows.map((row) => `# ${row.role} ${row.owner_code} ${row.id}\n${toPem('CERTIFICATE', certificatesOf(row)[0]!)}`).join('');
    res.set('Cache-Control', 'public, max-age=300').type('application/pem-certificate-chain').send(text);
  });

  defineRoute(host, {
    method: 'get',
    path: '/.well-known/elicense/crls.pem',
    summary: 'The CRLs of the CAs in the trust list, PEM',
    description: 'Verifiers need them to know the signing certificates are not revoked; without them a license cannot be TOTAL_PASSED. Supports If-None-Match.',
    tags: ['Trust'],
    scopes: 'public',
    responses: { 200: { description: 'PEM CRLs', contentType: 'application/x-pem-file' }, 304: { description: 'Not modified' } },
  }, async (_input, req, res) => {
    const pem = (await readSetting<string>(ctx.db, 'crls')) ?? '';
    const etag = `"${createHash('sha256').update(pem).digest('base64url').slice(0, 32)}"`;
    res.set({ 'Cache-Control': 'public, max-age=300', ETag: etag });
    if (req.get('If-None-Match') === etag) {
      res.status(304).end();
      return;
    }
    res.type('application/x-pem-file').send(pem);
  });

  defineRoute(host, {
    method: 'get',
    path: '/v1/license-types',
    summary: 'The license-type catalogue (GB/T 36902 目录): codes, names, authorities, field schemas, validity rules',
    tags: ['Catalog'],
    scopes: 'public',
    responses: { 200: { description: 'License types' } },
  }, async (_input, _req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').json({
      licenseTypes: ctx.registry.list().map((t) => ({ code: t.code, name: t.name, definingAuthority: t.definingAuthority, holderCategory: t.holderCategory, validity: t.validity, fieldsSchema: t.fieldsSchema, relatedItems: t.relatedItems ?? [] })),
    });
  });

  defineRoute(host, {
    method: 'get',
    path: '/v1/issuers',
    summary: 'The issuing offices and the license types each may issue',
    tags: ['Catalog'],
    scopes: 'public',
    responses: { 200: { description: 'Issuers' } },
  }, async (_input, _req, res) => {
    const offices = await ctx.db.selectFrom('offices').selectAll().orderBy('code').execute();
    const types = await ctx.db.selectFrom('office_license_types').selectAll().execute();
    res.set('Cache-Control', 'public, max-age=300').json({
      issuers: offices.map((o) => ({ code: o.code, name: o.name, licenseTypes: types.filter((t) => t.office_code === o.code).map((t) => t.type_code) })),
    });
  });
}
