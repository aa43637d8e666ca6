/** Issuing, reading, searching and changing licenses. */
import type { Response } from 'express';
import { z } from 'zod';
import {
  changeLicenseRequest,
  identifierParam,
  issuedLicense,
  issueLicenseRequest,
  licenseSummary,
  lifecycleRequest,
  readQuery,
  searchQuery,
} from '../api-schemas.js';
import type { ServerContext } from '../context.js';
import { Problem } from '../http/problem.js';
import { defineRoute, type RouteHost } from '../http/route.js';
import { claimIdempotencyKey } from '../services/idempotency.js';
import { prepareLicense, recordIssued, requireOffice, reserveNumbers } from '../services/issuance.js';
import { issueNewVersion, officeLicense, transition, type Transition } from '../services/lifecycle.js';
import { annotatedCopy, authorizeRead, grantedFields, licenseLinks, licenseView, recordRead, signedExtract } from '../services/reads.js';
import { findGrant } from '../services/consents.js';
import { licenseJson } from './license-json.js';

const licenseResponse = licenseSummary.extend({
  credential: z.record(z.string(), z.unknown()).optional(),
  signedJson: z.string().optional().openapi({ description: 'The license as the office signed it (JWS, compact or JSON serialisation)' }),
  extract: z.string().optional().openapi({ description: 'For a field-limited consent: the granted fields, signed by the platform' }),
  links: z.record(z.string(), z.string()),
}).openapi('License');

/**
 * Sends JSON that is already encoded as it is: res.send would hash it for an ETag, which an answer that
 * must not be stored, and whose every read is audited, has no use for.
 */
function sendJsonBytes(res: Response, body: Buffer): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

function wantedFormat(query: { format?: 'json' | 'pdf' | 'annotated' | undefined }, accept: string | undefined): 'json' | 'pdf' | 'annotated' {
  if (query.format) return query.format;
  return accept?.includes('application/pdf') && !accept.includes('application/json') ? 'pdf' : 'json';
}

export function licenseRoutes(host: RouteHost, ctx: ServerContext): void {
  defineRoute(host, {
    method: 'post',
    path: '/v1/licenses',
    summary: 'Issue a license',
    description: 'Validates the fields against the type, assigns the GB/T 36904 identifier, signs the JSON form, renders, seals and signs the PDF form, and stores both. Send an Idempotency-Key header to make retries safe.',
    tags: ['Issuance'],
    scopes: ['licenses:issue'],
    body: issueLicenseRequest,
    headers: z.object({ 'idempotency-key': z.string().max(255).optional() }),
    responses: { 201: { description: 'Issued', schema: issuedLicense }, 403: { description: 'The office may not issue this type' }, 422: { description: 'The fields do not fit the type; errors name each field' } },
  }, async ({ body, client }, req, res) => {
    const office = await requireOffice(ctx, client!.office, body.typeCode);
    const key = req.get('Idempotency-Key');
    const claim = key === undefined ? undefined : await claimIdempotencyKey(ctx, client!.clientId, key, body);
    if (claim?.kind === 'replay') {
      res.status(claim.response.status).set('Idempotent-Replayed', 'true').json(claim.response.body);
      return;
    }
    try {
      const { serial, statusIndex } = await reserveNumbers(ctx, office.code, body.typeCode);
      const prepared = await prepareLicense(ctx, office, body, serial, statusIndex);
      const response = { ...licenseView(ctx, prepared.row), links: licenseLinks(ctx, prepared.row.identifier) };
      await ctx.db.transaction().execute(async (trx) => {
        await recordIssued(ctx, trx, prepared, client!.clientId);
        if (claim) await claim.complete(trx, { status: 201, body: response });
      });
      res.status(201).location(response.links.self!).json(response);
    } catch (error) {
      await claim?.release();
      throw error;
    }
  });

  defineRoute(host, {
    method: 'get',
    path: '/v1/licenses/:id',
    summary: 'Read a license',
    description: 'JSON (default), the sealed PDF (`format=pdf` or Accept: application/pdf), or an annotated copy (加注件, `format=annotated`) stamped with the purpose and the consent\'s expiry. Approval systems need a current consent from the holder for `purpose`; every read is audited.',
    tags: ['Sharing'],
    scopes: ['licenses:read', 'licenses:issue', 'consents:manage'],
    params: identifierParam,
    query: readQuery,
    responses: {
      200: { description: 'The license', schema: licenseResponse },
      403: { description: 'No current consent covers this client, license and purpose' },
    },
  }, async ({ params, query, client }, req, res) => {
    const access = await authorizeRead(ctx, client!, params.id, query.purpose);
    const format = wantedFormat(query, req.get('Accept'));
    const fields = grantedFields(access.grant);
    if (fields && format !== 'json') {
      throw new Problem('CONSENT_REQUIRED', `the consent covers only the fields ${fields.join(', ')}; the ${format === 'pdf' ? 'PDF' : 'annotated copy'} shows every field, so only the JSON extract can be read`);
    }
    let send: () => void;
    if (format === 'json') {
      const view = { ...licenseView(ctx, access.license), links: licenseLinks(ctx, access.license.identifier) };
      const body = fields
        ? Buffer.from(JSON.stringify({ ...view, extract: await signedExtract(ctx, access.license, access.grant!) }))
        : licenseJson(view, access.license.signed_json, access.license.credential);
      send = () => sendJsonBytes(res, body);
    } else {
      const bytes = format === 'pdf' ? await ctx.blobs.get(access.license.pdf_blob) : await annotatedCopy(ctx, access.license, access.grant, client!);
      const name = `${access.license.identifier}${format === 'annotated' ? '-annotated' : ''}.pdf`;
      send = () => res.set({ 'Cache-Control': 'no-store', 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${name}"` }).send(Buffer.from(bytes));
    }
    // Recorded before anything is sent: a read that is not in the audit log does not happen.
    await recordRead(ctx, client!, access, format);
    send();
  });

  defineRoute(host, {
    method: 'get',
    path: '/v1/licenses',
    summary: 'Find licenses by holder and type',
    description: 'An approval system sees only the licenses it holds a current consent for, for `purpose`; an office sees its own; a holder\'s agent the holder\'s.',
    tags: ['Sharing'],
    scopes: ['licenses:read', 'licenses:issue', 'consents:manage'],
    query: searchQuery,
    responses: { 200: { description: 'Matching licenses (summaries)', schema: z.object({ licenses: z.array(licenseSummary) }) } },
  }, async ({ query, client }, _req, res) => {
    if (client!.kind === 'approval-system' && !query.purpose) throw new Problem('BAD_REQUEST', 'say what the licenses are looked up for: ?purpose=<事项编码>', { errors: [{ field: 'query.purpose', message: 'required for approval systems' }] });
    let q = ctx.db.selectFrom('licenses').selectAll().where('holder_code', '=', query.holderCode).where('state', '!=', 'superseded');
    if (query.typeCode) q = q.where('type_code', '=', query.typeCode);
    if (client!.kind === 'issuer') q = q.where('office_code', '=', client!.office ?? '');
    else if (client!.kind === 'holder-agent' && client!.holder !== query.holderCode) throw new Problem('FORBIDDEN', 'a holder\'s agent can look up only the holder\'s licenses');
    const rows = await q.orderBy('issued_at', 'desc').limit(200).execute();
    const visible = [];
    for (const row of rows) {
      const grant = client!.kind === 'approval-system' ? await findGrant(ctx, client!.clientId, row, query.purpose!) : undefined;
      if (client!.kind === 'approval-system' && !grant) continue;
      visible.push({ row, grant });
    }
    await Promise.all(visible.map(({ row, grant }) => recordRead(ctx, client!, { license: row, ...(grant ? { grant } : {}) }, 'search')));
    res.set('Cache-Control', 'no-store').json({ licenses: visible.map(({ row }) => licenseView(ctx, row)) });
  });

  defineRoute(host, {
    method: 'get',
    path: '/v1/licenses/:id/history',
    summary: 'The history of a license: every version and every state change with its reason',
    tags: ['Lifecycle'],
    scopes: ['licenses:manage', 'consents:manage'],
    params: identifierParam,
    responses: { 200: { description: 'Versions and events' } },
  }, async ({ params, client }, _req, res) => {
    const license = client!.kind === 'issuer'
      ? await officeLicense(ctx, client!.office, params.id)
      : (await authorizeRead(ctx, client!, params.id, undefined)).license;
    const versions = await ctx.db.selectFrom('licenses').selectAll().where('lineage', '=', license.lineage).orderBy('version').execute();
    const events = await ctx.db.selectFrom('license_events').selectAll().where('identifier', 'in', versions.map((v) => v.identifier)).orderBy('id').execute();
    res.json({
      versions: versions.map((v) => licenseView(ctx, v)),
      events: events.map((e) => ({ identifier: e.identifier, action: e.action, reason: e.reason, actor: e.actor, at: e.at })),
    });
  });

  for (const kind of ['revoke', 'suspend', 'reinstate'] as const satisfies readonly Transition[]) {
    defineRoute(host, {
      method: 'post',
      path: `/v1/licenses/:id/${kind}`,
      summary: { revoke: 'Revoke a license (吊销/注销)', suspend: 'Suspend a license (暂扣)', reinstate: 'Reinstate a suspended license' }[kind],
      description: 'Takes effect at once; verifiers see it in the status list within the status cache time.',
      tags: ['Lifecycle'],
      scopes: ['licenses:manage'],
      params: identifierParam,
      body: lifecycleRequest,
      responses: { 200: { description: 'The license after the change', schema: licenseSummary }, 409: { description: 'Not allowed from the license\'s current state' } },
    }, async ({ params, body, client }, _req, res) => {
      const row = await transition(ctx, client!, params.id, kind, body.reason);
      res.json(licenseView(ctx, row));
    });
  }

  defineRoute(host, {
    method: 'post',
    path: '/v1/licenses/:id/versions',
    summary: 'Renew or change a license: a new version that supersedes this one',
    tags: ['Lifecycle'],
    scopes: ['licenses:manage'],
    params: identifierParam,
    body: changeLicenseRequest,
    responses: { 201: { description: 'The new version', schema: issuedLicense } },
  }, async ({ params, body, client }, _req, res) => {
    const { kind, reason, ...changes } = body;
    const row = await issueNewVersion(ctx, client!, params.id, { kind, reason, ...changes });
    const links = licenseLinks(ctx, row.identifier);
    res.status(201).location(links.self!).json({ ...licenseView(ctx, row), links });
  });
}
