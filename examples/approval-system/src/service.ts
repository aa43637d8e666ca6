/**
 * The approval system's HTTP service: POST /applications receives an application that names a license,
 * fetches and verifies the license through the SDK (the holder's consent for this service item is what
 * lets it), decides, and records the decision with the verification report's digest.
 */
import { createHash, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import express, { type Express } from 'express';
import { LicenseApiError, LicenseNetworkError, type LicenseClient } from '@elicense/sdk';
import { decide, type Application } from './decide.js';

export interface ApprovalServiceOptions {
  readonly licenses: LicenseClient;
  /** 事项编码 and name of the service item this system decides on. */
  readonly purpose: { readonly code: string; readonly name: string };
  /** License type codes the service item accepts. */
  readonly acceptedTypes: readonly string[];
  /** SQLite file for decisions (":memory:" for a throwaway one). */
  readonly databaseFile: string;
}

export function createApprovalService(options: ApprovalServiceOptions): { app: Express; close(): void } {
  const db = new Database(options.databaseFile);
  db.exec(`create table if not exists decisions (
    id text primary key, applicant_code text not null, applicant_name text not null, license_id text not null,
    approved integer not null, reasons text not null, indication text, report_sha256 text, decided_at text not null)`);
  const insert = db.prepare('insert into decisions values (@id, @applicantCode, @applicantName, @licenseId, @approved, @reasons, @indication, @reportSha256, @decidedAt)');

  const app = express();
  app.use(express.json({ limit: '16kb' }));

  app.post('/applications', async (req, res) => {
    const body = req.body as Partial<Application> | undefined;
    if (typeof body?.applicantCode !== 'string' || typeof body.applicantName !== 'string' || typeof body.licenseId !== 'string') {
      res.status(400).json({ error: 'applicantCode, applicantName and licenseId are required strings' });
      return;
    }
    const application: Application = { applicantCode: body.applicantCode, applicantName: body.applicantName, licenseId: body.licenseId };
    let decision;
    let indication: string | null = null;
    let reportSha256: string | null = null;
    try {
      const { report } = await options.licenses.fetchAndVerify(application.licenseId, { purpose: options.purpose.code });
      decision = decide(application, report, options.acceptedTypes);
      indication = report.indication;
      reportSha256 = createHash('sha256').update(JSON.stringify(report)).digest('hex');
    } catch (error) {
      if (error instanceof LicenseApiError && error.code === 'CONSENT_REQUIRED') {
        decision = { approved: false, reasons: [`申请人未授权本系统为“${options.purpose.name}”使用该证照，或证照不存在`] };
      } else if (error instanceof LicenseNetworkError) {
        res.status(503).json({ error: 'the license repository cannot be reached; try again later' });
        return;
      } else {
        throw error;
      }
    }
    const record = { id: randomUUID(), ...application, approved: decision.approved ? 1 : 0, reasons: JSON.stringify(decision.reasons), indication, reportSha256, decidedAt: new Date().toISOString() };
    insert.run(record);
    res.status(201).json({ id: record.id, approved: decision.approved, reasons: decision.reasons, indication });
  });

  app.get('/applications/:id', (req, res) => {
    const row = db.prepare('select * from decisions where id = ?').get(req.params.id) as Record<string, unknown> | undefined;
    if (!row) {
      res.status(404).json({ error: 'no such application' });
      return;
    }
    res.json({ ...row, approved: row.approved === 1, reasons: JSON.parse(String(row.reasons)) as unknown });
  });

  return { app, close: () => db.close() };
}
