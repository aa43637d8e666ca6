/**
 * Reading a license: who may read it (its issuing office, its holder's agent, or an approval system with
 * a current consent for the purpose), in which form, and an audit entry for every read.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createAnnotatedCopy, signCompact, type LicenseCredential } from '@elicense/core';
import type { TokenClaims } from '../auth/tokens.js';
import type { ServerContext } from '../context.js';
import type { ConsentsTable, LicensesTable } from '../db/schema.js';
import { Problem } from '../http/problem.js';

export type ReadFormat = 'json' | 'pdf' | 'annotated';

export interface Access {
  readonly license: LicensesTable;
  /** The consent an approval system reads under; absent for the office and the holder. */
  readonly grant?: ConsentsTable;
}

const NO_GRANT = (purpose: string) =>
  new Problem('CONSENT_REQUIRED', `no current consent of the license's holder lets this client read it for purpose ${purpose}`);

/** Refuses in the same words whether the license exists or not, so a refusal tells nothing about it. */
export async function authorizeRead(ctx: ServerContext, client: TokenClaims, identifier: string, purpose: string | undefined): Promise<Access> {
  if (client.kind === 'approval-system') {
    if (!purpose) throw new Problem('BAD_REQUEST', 'say what the license is read for: ?purpose=<事项编码>', { errors: [{ field: 'query.purpose', message: 'required for approval systems' }] });
    const access = await ctx.licenseReads.licenseWithGrant(client.clientId, identifier, purpose, ctx.now().toISOString());
    if (!access) throw NO_GRANT(purpose);
    return access;
  }
  if (client.kind !== 'issuer' && client.kind !== 'holder-agent') throw new Problem('FORBIDDEN', 'this client cannot read licenses');
  const license = await ctx.db.selectFrom('licenses').selectAll().where('identifier', '=', identifier).executeTakeFirst();
  if (client.kind === 'issuer') {
    if (!license || license.office_code !== client.office) throw new Problem('NOT_FOUND', 'no license with this identifier was issued by the office');
    return { license };
  }
  if (!license || license.holder_code !== client.holder) throw new Problem('NOT_FOUND', 'the holder has no license with this identifier');
  return { license };
}

export function grantedFields(grant: ConsentsTable | undefined): readonly string[] | undefined {
  return grant?.fields ? (JSON.parse(grant.fields) as string[]) : undefined;
}

/** Resolves once the read is in the audit log, committed: only then may the license be sent. */
export async function recordRead(ctx: ServerContext, client: TokenClaims, access: Access, format: ReadFormat | 'search'): Promise<void> {
  await ctx.readAudit.append({
    actor: client.clientId,
    action: 'license.read',
    license: access.license.identifier,
    holderCode: access.license.holder_code,
    ...(access.grant ? { purposeCode: access.grant.purpose_code } : {}),
    details: { format, ...(access.grant ? { consent: access.grant.id, purposeName: access.grant.purpose_name } : { as: client.kind }) },
  }, ctx.now());
}

export function licenseView(ctx: ServerContext, row: LicensesTable) {
  const expired = row.valid_until !== null && Date.parse(row.valid_until) < ctx.now().getTime();
  return {
    identifier: row.identifier,
    typeCode: row.type_code,
    officeCode: row.office_code,
    version: row.version,
    holderName: row.holder_name,
    holderCode: row.holder_code,
    state: row.state === 'valid' && expired ? ('expired' as const) : row.state,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    issuedAt: row.issued_at,
    supersedes: row.supersedes,
    supersededBy: row.superseded_by,
  };
}

export function licenseLinks(ctx: ServerContext, identifier: string): Record<string, string> {
  const base = `${ctx.config.publicUrl}/v1/licenses/${encodeURIComponent(identifier)}`;
  return { self: base, pdf: `${base}?format=pdf`, annotated: `${base}?format=annotated`, history: `${base}/history` };
}

/**
 * A field-limited grant gets an extract: the granted fields and the metadata, signed by the platform,
 * pointing at the license it was taken from by identifier and digest. The issuer's signature covers
 * every field, so it cannot be handed over without the others.
 */
export async function signedExtract(ctx: ServerContext, row: LicensesTable, grant: ConsentsTable): Promise<string> {
  const credential = JSON.parse(row.credential) as LicenseCredential;
  const allowed = new Set(grantedFields(grant));
  const { fields, ...metadata } = credential.credentialSubject;
  const now = ctx.now();
  const extract = {
    '@context': credential['@context'],
    id: `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'ElectronicLicenseExtract'],
    issuer: { id: `urn:uscc:${ctx.operator.code}`, name: ctx.operator.name },
    validFrom: now.toISOString(),
    validUntil: grant.valid_until,
    credentialSubject: { ...metadata, fields: Object.fromEntries(Object.entries(fields).filter(([name]) => allowed.has(name))) },
    evidence: [{
      type: 'ElectronicLicense',
      id: credential.id,
      issuer: credential.issuer,
      digestSHA256: createHash('sha256').update(row.signed_json).digest('base64url'),
      purposeCode: grant.purpose_code,
      purposeName: grant.purpose_name,
      recipient: grant.client_id,
    }],
  };
  return signCompact(new TextEncoder().encode(JSON.stringify(extract)), await ctx.keys.platformSigner('platform'), { typ: 'vc+jwt' });
}

export async function annotatedCopy(ctx: ServerContext, row: LicensesTable, grant: ConsentsTable | undefined, reader: TokenClaims): Promise<Uint8Array> {
  const recipient = await ctx.db.selectFrom('clients').select('name').where('id', '=', reader.clientId).executeTakeFirst();
  const now = ctx.now();
  return createAnnotatedCopy({
    licensePdf: await ctx.blobs.get(row.pdf_blob),
    annotation: {
      purposeCode: grant?.purpose_code ?? 'SELF',
      purposeName: grant?.purpose_name ?? '持证人自用',
      recipientName: recipient?.name ?? reader.clientId,
      expires: grant ? new Date(grant.valid_until) : new Date(now.getTime() + 30 * 86_400_000),
      copyId: randomUUID(),
      issuedAt: now,
    },
    font: ctx.font,
    signer: await ctx.keys.platformSigner('platform'),
    signingTime: now,
  });
}
