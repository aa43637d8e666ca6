/**
 * The decision an approval system takes on an application that names a license instead of enclosing
 * a paper copy: the license must verify (signature, chain, issuer authorised for the type, current
 * status), be of a type the service item accepts, and belong to the applicant.
 */
import type { VerificationReport } from '@elicense/sdk';

export interface Application {
  /** 申请人: the company or person applying, by 统一社会信用代码 or ID number. */
  readonly applicantCode: string;
  readonly applicantName: string;
  /** The license identifier the applicant gave instead of a copy. */
  readonly licenseId: string;
}

export interface Decision {
  readonly approved: boolean;
  /** Why, in words a clerk can read back to the applicant. */
  readonly reasons: readonly string[];
}

export function decide(application: Application, report: VerificationReport, acceptedTypes: readonly string[]): Decision {
  const reasons: string[] = [];
  if (!report.valid) {
    const failed = report.checks.filter((check) => check.indication !== 'TOTAL_PASSED').map((check) => `${check.id}: ${check.message ?? check.indication}`);
    reasons.push(`证照核验未通过 (${report.indication}${report.subIndication ? ` ${report.subIndication}` : ''})`, ...failed.slice(0, 3));
  }
  const license = report.license;
  if (license?.holderCode !== application.applicantCode) reasons.push('证照持有人与申请人不一致');
  if (!license?.typeCode || !acceptedTypes.includes(license.typeCode)) reasons.push(`本事项不接受此类证照 (${license?.typeName ?? license?.typeCode ?? '未知'})`);
  return { approved: reasons.length === 0, reasons: reasons.length === 0 ? ['电子证照核验通过，免提交纸质材料'] : reasons };
}
