/** License fixtures for the API tests: the demo types, fresh holders, and issuing through the API. */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { computeOrganizationCodeCheckCharacter, computeUsccCheckCharacter, defaultLicenseTypeRegistry } from '@elicense/core';
import { demoTypes } from '@elicense/platform/demo';
import type { IssueLicenseRequest } from '../src/api-schemas.js';
import { sampleRequest } from '../src/platform/demo-licenses.js';
import { call, expectJson, type TestServer } from './test-server.js';

/** 营业执照 and 食品经营许可证 (market-office), 安全生产许可证 and 特种作业 (housing-office). */
export const TYPES = demoTypes();

export interface Holder {
  readonly name: string;
  readonly code: string;
}

/** A holder no other test uses: a fresh, valid 统一社会信用代码. */
export function newHolder(label = '测试'): Holder {
  const organisation = `MA${String(randomInt(0, 1e6)).padStart(6, '0')}`;
  const base = `91990100${organisation}${computeOrganizationCodeCheckCharacter(organisation)}`;
  return { name: `演示市${label}有限公司`, code: `${base}${computeUsccCheckCharacter(base)}` };
}

/** The demo holder that holder-agent acts for. */
export function demoHolder(server: Pick<TestServer, 'client'>): string {
  return server.client('holder-agent').holder!;
}

/** A valid issue request for the type, from its sample, made out to `holder` (the sample's holder by default). */
export function requestFor(typeCode: string, holder?: Holder): IssueLicenseRequest {
  return sampleRequest(defaultLicenseTypeRegistry.get(typeCode), holder);
}

export interface IssuedLicense {
  readonly identifier: string;
  readonly typeCode: string;
  readonly officeCode: string;
  readonly version: number;
  readonly holderCode: string;
  readonly state: string;
  readonly supersedes: string | null;
  readonly supersededBy: string | null;
  readonly links: Record<string, string>;
}

/** Issues through POST /v1/licenses and expects 201. */
export async function issueLicense(server: TestServer, clientId: string, request: IssueLicenseRequest): Promise<IssuedLicense> {
  const res = await call(server, '/v1/licenses', { token: await server.token(clientId), json: request });
  return expectJson<IssuedLicense>(res, 201);
}

/** The office's JSON view of a license. */
export async function readAsOffice(server: TestServer, clientId: string, identifier: string): Promise<IssuedLicense & { signedJson: string; credential: Record<string, unknown> }> {
  const res = await call(server, `/v1/licenses/${encodeURIComponent(identifier)}`, { token: await server.token(clientId) });
  return expectJson(res, 200);
}

export interface VerificationReportBody {
  readonly valid: boolean;
  readonly indication: string;
  readonly subIndication?: string;
  readonly format: string;
  readonly license?: { identifier?: string };
  readonly checks: { id: string; indication: string; subIndication?: string; message: string }[];
}

/** POST /v1/verify with the bytes; expects a 200 report. */
export async function verifyOnServer(server: TestServer, bytes: Uint8Array | string, contentType: string): Promise<VerificationReportBody> {
  const res = await call(server, '/v1/verify', { body: typeof bytes === 'string' ? bytes : Buffer.from(bytes), headers: { 'content-type': contentType } });
  return expectJson<VerificationReportBody>(res, 200);
}

/** The status check of a report. */
export function statusCheck(report: VerificationReportBody) {
  const checks = report.checks.filter((c) => c.id === 'license.status');
  assert.ok(checks.length > 0, `the report has no license.status check: ${JSON.stringify(report.checks.map((c) => c.id))}`);
  return checks;
}

export async function pdfOf(res: Response): Promise<Uint8Array> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.equal(res.status, 200, `expected a PDF, got ${res.status}: ${Buffer.from(bytes).toString('utf8').slice(0, 500)}`);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.equal(Buffer.from(bytes.subarray(0, 5)).toString('latin1'), '%PDF-');
  return bytes;
}

/** GET /v1/jobs/{id}, as the tests read it. */
export interface BatchJob {
  id: string;
  state: 'queued' | 'running' | 'done';
  total: number;
  issued: number;
  failed: number;
  pending: number;
}

/** One entry of GET /v1/jobs/{id}/items. */
export interface BatchItem {
  item: number;
  state: 'issued' | 'failed' | 'pending';
  identifier?: string;
  error?: string;
}
