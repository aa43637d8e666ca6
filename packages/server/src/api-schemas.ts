/**
 * The shapes the API accepts and returns. Routes validate with them and the OpenAPI document is made
 * from them, so the two cannot drift apart.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD');
const dateOrLongTerm = z.union([date, z.literal('长期有效')]);
const instant = z.iso.datetime({ offset: true });

export const identifierParam = z.object({
  id: z.string().min(1).max(128).openapi({ description: 'The GB/T 36904 license identifier', example: '1.2.156.3005.2.11100000000013338W001.11990100MB12345620.0000000001.001.X' }),
});

export const holderSchema = z.object({
  name: z.string().min(1).max(200),
  code: z.string().min(1).max(32).openapi({ description: '统一社会信用代码 (001) or 公民身份号码 (111)' }),
  codeType: z.enum(['001', '111']).optional(),
});

export const issueLicenseRequest = z
  .object({
    typeCode: z.string().min(1).max(32).openapi({ description: 'The license type (GB/T 36902 目录 code); see GET /v1/license-types' }),
    holder: holderSchema,
    number: z.string().min(1).max(64).optional().openapi({ description: '证照编号; taken from the type\'s number field, or made from the serial, when absent' }),
    issuedDate: date.optional().openapi({ description: 'Default: today (China time)' }),
    validFrom: date.optional().openapi({ description: 'Default: the issue date' }),
    validUntil: dateOrLongTerm.optional().openapi({ description: 'Default: from the type\'s validity rule' }),
    areaCode: z.string().regex(/^\d{6}$/).optional(),
    fields: z.record(z.string(), z.unknown()).openapi({ description: 'The license fields, as the type\'s schema names them (Chinese names)' }),
  })
  .strict()
  .openapi('IssueLicenseRequest');
export type IssueLicenseRequest = z.infer<typeof issueLicenseRequest>;

export const licenseSummary = z
  .object({
    identifier: z.string(),
    typeCode: z.string(),
    officeCode: z.string(),
    version: z.number(),
    holderName: z.string(),
    holderCode: z.string(),
    state: z.enum(['valid', 'suspended', 'revoked', 'superseded', 'expired']),
    validFrom: z.string(),
    validUntil: z.string().nullable(),
    issuedAt: z.string(),
    supersedes: z.string().nullable(),
    supersededBy: z.string().nullable(),
  })
  .openapi('LicenseSummary');

export const issuedLicense = licenseSummary.extend({ links: z.record(z.string(), z.string()) }).openapi('IssuedLicense');

export const lifecycleRequest = z.object({ reason: z.string().min(1).max(500) }).strict().openapi('LifecycleRequest');

export const changeLicenseRequest = z
  .object({
    reason: z.string().min(1).max(500),
    kind: z.enum(['renew', 'change']).openapi({ description: 'renew (延续): a new validity period; change (变更): changed fields' }),
    issuedDate: date.optional(),
    validFrom: date.optional(),
    validUntil: dateOrLongTerm.optional(),
    number: z.string().min(1).max(64).optional(),
    holder: holderSchema.optional(),
    fields: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Merged over the current fields' }),
  })
  .strict()
  .openapi('ChangeLicenseRequest');

export const batchRequest = z
  .object({ items: z.array(issueLicenseRequest).min(1).max(100_000) })
  .strict()
  .openapi('BatchIssueRequest');

export const consentRequest = z
  .object({
    clientId: z.string().min(1).max(64).openapi({ description: 'The approval system the holder shares with' }),
    license: z.string().min(1).max(128).optional().openapi({ description: 'One license (every version of it)…' }),
    typeCode: z.string().min(1).max(32).optional().openapi({ description: '…or every license of this type the holder has' }),
    purposeCode: z.string().min(1).max(64).openapi({ description: '事项编码: the service item the license is used for' }),
    purposeName: z.string().min(1).max(200).openapi({ description: '事项名称' }),
    fields: z.array(z.string().min(1).max(100)).min(1).max(100).optional().openapi({ description: 'Only these license fields; the whole license when absent' }),
    validFrom: instant.optional(),
    validUntil: instant,
  })
  .strict()
  .refine((c) => (c.license === undefined) !== (c.typeCode === undefined), { message: 'give either license or typeCode', path: ['license'] })
  .openapi('ConsentRequest');
export type ConsentRequest = z.infer<typeof consentRequest>;

export const readQuery = z.object({
  purpose: z.string().min(1).max(64).optional().openapi({ description: '事项编码 the license is read for; required for approval systems' }),
  format: z.enum(['json', 'pdf', 'annotated']).optional().openapi({ description: 'Default json; or use the Accept header' }),
});

export const searchQuery = z.object({
  holderCode: z.string().min(1).max(32),
  typeCode: z.string().min(1).max(32).optional(),
  purpose: z.string().min(1).max(64).optional(),
});

export const tokenRequest = z
  .object({
    grant_type: z.string().min(1).max(100).openapi({ description: 'client_credentials: the only grant this server offers' }),
    client_id: z.string().min(1).max(64).optional(),
    client_secret: z.string().min(1).max(256).optional(),
    scope: z.string().max(500).optional(),
  })
  .openapi('TokenRequest');

export const problemSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number(), code: z.string(), detail: z.string(), requestId: z.string().optional() })
  .openapi('Problem');
