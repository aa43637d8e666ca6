/**
 * Runs the example approval system against a license repository:
 *   REPOSITORY_URL=http://127.0.0.1:8080 CLIENT_ID=approval-system CLIENT_SECRET=… \
 *   TRUST_OPERATOR_CERT=operator.pem pnpm --filter @elicense/approval-system-example start
 */
import { readFileSync } from 'node:fs';
import { createLicenseClient } from '@elicense/sdk';
import { createApprovalService } from './service.js';

const need = (name: string) => process.env[name] ?? (console.error(`set ${name}`), process.exit(2));

const licenses = createLicenseClient({
  baseUrl: need('REPOSITORY_URL'),
  clientId: need('CLIENT_ID'),
  clientSecret: need('CLIENT_SECRET'),
  trustOperatorCertificate: readFileSync(need('TRUST_OPERATOR_CERT'), 'utf8'),
});
const { app } = createApprovalService({
  licenses,
  purpose: { code: process.env.PURPOSE_CODE ?? '000117001000', name: process.env.PURPOSE_NAME ?? '建筑工程施工许可证核发' },
  acceptedTypes: (process.env.ACCEPTED_TYPES ?? '11100000MB0143028R001').split(','),
  databaseFile: process.env.DECISIONS_DB ?? 'decisions.sqlite',
});
const port = Number(process.env.PORT ?? 8090);
app.listen(port, () => console.log(`approval system listening on http://127.0.0.1:${port}; POST /applications`));
