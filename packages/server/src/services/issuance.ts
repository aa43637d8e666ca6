/**
 * Issuing a license: check the office may issue the type, take a serial and a status index, build and
 * validate the credential, sign both forms, store the PDF, then record the license, its first event and
 * its audit entry in one transaction.
 */
import type { Transaction } from 'kysely';
import {
  buildLicenseCredential,
  ElicenseError,
  LicenseSchemaError,
  type LicenseCredential,
  type LicenseInput,
  type LicenseStatusInput,
} from '@elicense/core';
import type { IssueLicenseRequest } from '../api-schemas.js';
import type { Organisation, ServerContext } from '../context.js';
import type { Database, LicensesTable } from '../db/schema.js';
import { Problem } from '../http/problem.js';
import { appendAudit } from './audit.js';
import { serialCounter, statusCounter, takeCounterBlock } from './counters.js';
import { signLicenseForms } from './license-forms.js';
import { ensureStatusLists } from './status-lists.js';
import { statusListOf, statusListUrl } from './status-urls.js';

/** Serials are ten digits, zero-padded: 流水号 in the identifier. */
export const formatSerial = (n: number) => String(n).padStart(10, '0');

export async function requireOffice(ctx: ServerContext, officeCode: string | undefined, typeCode: string): Promise<Organisation> {
  if (!officeCode) throw new Problem('FORBIDDEN', 'only an issuing office can issue licenses');
  const office = await ctx.db.selectFrom('offices').select(['code', 'name']).where('code', '=', officeCode).executeTakeFirst();
  if (!office) throw new Problem('FORBIDDEN', 'the client\'s office is not registered');
  if (!ctx.registry.find(typeCode)) {
    throw new Problem('VALIDATION_FAILED', `unknown license type ${typeCode}; see GET /v1/license-types`, { errors: [{ field: 'typeCode', message: 'unknown license type' }] });
  }
  const authorised = await ctx.db.selectFrom('office_license_types').select('type_code').where('office_code', '=', officeCode).where('type_code', '=', typeCode).executeTakeFirst();
  if (!authorised) throw new Problem('LICENSE_TYPE_NOT_AUTHORIZED', `the office is not authorised to issue license type ${typeCode}`);
  return office;
}

export function statusEntries(ctx: ServerContext, typeCode: string, index: number): LicenseStatusInput[] {
  return (['revocation', 'suspension'] as const).map((purpose) => ({
    statusPurpose: purpose,
    statusListIndex: index,
    statusListCredential: statusListUrl(ctx.config.publicUrl, typeCode, purpose, statusListOf(index)),
  }));
}

/** Schema and identifier problems as a 422 that names each field. */
export function asValidationProblem(error: unknown): never {
  if (error instanceof LicenseSchemaError) {
    throw new Problem('VALIDATION_FAILED', `the license does not fit its type: ${error.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
      errors: error.problems.map((p) => ({ field: p.field.startsWith('fields') ? p.field : `fields.${p.field}`, message: p.message })),
    });
  }
  if (error instanceof ElicenseError && error.field !== undefined) {
    const field = error.field;
    throw new Problem('VALIDATION_FAILED', error.message, field ? { errors: [{ field, message: error.message }] } : {});
  }
  throw error;
}

export function credentialFromRequest(ctx: ServerContext, office: Organisation, request: IssueLicenseRequest, serial: string, statusIndex: number): LicenseCredential {
  const type = ctx.registry.get(request.typeCode);
  const numberField = type.linkedFields?.number;
  const fromFields = numberField === undefined ? undefined : request.fields[numberField];
  const number = request.number ?? (typeof fromFields === 'string' && fromFields ? fromFields : serial);
  const fields = numberField === undefined || request.fields[numberField] !== undefined ? request.fields : { ...request.fields, [numberField]: number };
  const today = ctx.now();
  const input: LicenseInput = {
    typeCode: request.typeCode,
    issuer: office,
    holder: { name: request.holder.name, code: request.holder.code, ...(request.holder.codeType ? { codeType: request.holder.codeType } : {}) },
    number,
    serial,
    issuedDate: request.issuedDate ?? today,
    validFrom: request.validFrom ?? request.issuedDate ?? today,
    ...(request.validUntil ? { validUntil: request.validUntil } : {}),
    ...(request.areaCode ? { areaCode: request.areaCode } : {}),
    fields,
    credentialStatus: statusEntries(ctx, request.typeCode, statusIndex),
  };
  try {
    return buildLicenseCredential(input, ctx.registry);
  } catch (error) {
    asValidationProblem(error);
  }
}

export async function officeSeal(ctx: ServerContext, officeCode: string): Promise<Uint8Array | undefined> {
  const row = await ctx.db.selectFrom('seals').select('der').where('office_code', '=', officeCode).executeTakeFirst();
  return row ? new Uint8Array(Buffer.from(row.der, 'base64')) : undefined;
}

export function licenseRow(credential: LicenseCredential, forms: { signedJson: string }, pdfBlob: string, statusIndex: number, at: Date): LicensesTable {
  const subject = credential.credentialSubject;
  const parts = subject.certificateIdentifier.split('.');
  return {
    identifier: subject.certificateIdentifier,
    lineage: parts.slice(0, -2).join('.'),
    type_code: subject.certificateTypeCode,
    office_code: subject.certificateIssuingAuthorityCode,
    serial: parts.at(-3)!,
    version: Number(subject.certificateVersion),
    holder_code: subject.certificateHolderCode,
    holder_name: subject.certificateHolderName,
    state: 'valid',
    status_index: statusIndex,
    supersedes: subject.previousIdentifier ?? null,
    superseded_by: null,
    valid_from: credential.validFrom,
    valid_until: credential.validUntil ?? null,
    issued_at: at.toISOString(),
    credential: JSON.stringify(credential),
    signed_json: forms.signedJson,
    pdf_blob: pdfBlob,
    updated_at: at.toISOString(),
  };
}

export interface PreparedLicense {
  readonly row: LicensesTable;
  readonly credential: LicenseCredential;
}

/** The slow, transaction-free part: build, sign, render and store the PDF. */
export async function prepareLicense(ctx: ServerContext, office: Organisation, request: IssueLicenseRequest, serialNo: number, statusIndex: number): Promise<PreparedLicense> {
  const credential = credentialFromRequest(ctx, office, request, formatSerial(serialNo), statusIndex);
  return signAndStore(ctx, credential, statusIndex);
}

export async function signAndStore(ctx: ServerContext, credential: LicenseCredential, statusIndex: number): Promise<PreparedLicense> {
  const officeCode = credential.credentialSubject.certificateIssuingAuthorityCode;
  const forms = await signLicenseForms(ctx, credential, await ctx.keys.officeSigners(officeCode), await officeSeal(ctx, officeCode));
  const pdfBlob = await ctx.blobs.put(forms.pdf);
  return { row: licenseRow(credential, forms, pdfBlob, statusIndex, ctx.now()), credential };
}

/** Inserts a prepared license with its event and audit entry; call inside the caller's transaction. */
export async function recordIssued(ctx: ServerContext, trx: Transaction<Database>, prepared: PreparedLicense, actor: string, action: 'issued' | 'renewed' | 'changed' = 'issued', reason?: string): Promise<void> {
  await recordIssuedMany(ctx, trx, [prepared], actor, action, reason);
}

/** Rows per INSERT: well under SQLite's and PostgreSQL's limits on bound parameters (licenses have 19 columns). */
const ROWS_PER_INSERT = 500;

/** As recordIssued for many licenses, a few statements in all rather than a few per license. */
export async function recordIssuedMany(ctx: ServerContext, trx: Transaction<Database>, prepared: readonly PreparedLicense[], actor: string, action: 'issued' | 'renewed' | 'changed' = 'issued', reason?: string): Promise<void> {
  const rows = prepared.map((p) => p.row);
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const part = rows.slice(start, start + ROWS_PER_INSERT);
    await trx.insertInto('licenses').values(part).execute();
    await trx.insertInto('license_events').values(part.map((row) => ({ identifier: row.identifier, action, reason: reason ?? null, actor, at: row.issued_at }))).execute();
  }
  await appendAudit(trx, ctx.dialect, rows.map((row) => ({ actor, action: `license.${action}`, license: row.identifier, holderCode: row.holder_code, details: { typeCode: row.type_code, version: row.version, ...(reason ? { reason } : {}) } })), ctx.now());
}

/** Takes the numbers for `count` licenses of one type from one office. */
export async function reserveNumbers(ctx: ServerContext, officeCode: string, typeCode: string, count = 1): Promise<{ serial: number; statusIndex: number }> {
  const serial = await takeCounterBlock(ctx.db, serialCounter(officeCode, typeCode), count);
  return { serial, statusIndex: await reserveStatusIndexes(ctx, typeCode, count) };
}

/** Takes `count` status-list indexes of a type and returns the first. */
export async function reserveStatusIndexes(ctx: ServerContext, typeCode: string, count = 1): Promise<number> {
  const first = await takeCounterBlock(ctx.db, statusCounter(typeCode), count);
  await ensureStatusLists(ctx, typeCode, first, first + count - 1);
  return first;
}
