/** The license types a deployment knows, looked up by 证照类型代码, with their schemas compiled once. */
import { ElicenseError } from '../errors.js';
import { createFieldsCompiler, type FieldProblem, type FieldsValidator } from './fields-schema.js';
import {
  businessLicense,
  constructionSafetyLicense,
  foodBusinessLicense,
  medicalInstitutionLicense,
  specialOperationsCertificate,
} from './types/index.js';
import type { LicenseType } from './types/license-type.js';
import { isUsccStructure } from './uscc.js';

export { computeValidUntil } from './validity.js';
export type { FieldProblem } from './fields-schema.js';

export interface LicenseTypeRegistry {
  /** Throws ERR_LICENSE_TYPE_UNKNOWN (field `typeCode`) for a code it does not know. */
  get(code: string): LicenseType;
  find(code: unknown): LicenseType | undefined;
  list(): readonly LicenseType[];
  /** Checks `fields` against the type's schema; the schema is compiled on first use and cached. */
  validateFields(type: LicenseType, fields: unknown): FieldProblem[];
}

export const defaultLicenseTypes: readonly LicenseType[] = [
  businessLicense,
  foodBusinessLicense,
  constructionSafetyLicense,
  specialOperationsCertificate,
  medicalInstitutionLicense,
];

/** The shipped types; verifiers use it when the caller passes no registry of their own. */
export const defaultLicenseTypeRegistry: LicenseTypeRegistry = createLicenseTypeRegistry(defaultLicenseTypes);

export function createLicenseTypeRegistry(types: readonly LicenseType[] = defaultLicenseTypes): LicenseTypeRegistry {
  const byCode = new Map<string, LicenseType>();
  types.forEach((type, index) => {
    checkTypeDefinition(type, index);
    if (byCode.has(type.code)) {
      throw new ElicenseError('ERR_INVALID_INPUT', `license type ${type.code} is listed twice`, {
        field: `types.${index}.code`,
      });
    }
    byCode.set(type.code, type);
  });
  const all = Object.freeze([...byCode.values()]);
  let compile: ReturnType<typeof createFieldsCompiler> | undefined;
  const validators = new WeakMap<LicenseType, FieldsValidator>();

  const find = (code: unknown): LicenseType | undefined => (typeof code === 'string' ? byCode.get(code) : undefined);

  return {
    find,
    get(code) {
      const type = find(code);
      if (type === undefined) {
        throw new ElicenseError('ERR_LICENSE_TYPE_UNKNOWN', `unknown license type ${JSON.stringify(code)}`, {
          field: 'typeCode',
        });
      }
      return type;
    },
    list: () => all,
    validateFields(type, fields) {
      let validate = validators.get(type);
      if (validate === undefined) {
        compile ??= createFieldsCompiler();
        validate = compile(type.fieldsSchema, type.code);
        validators.set(type, validate);
      }
      return validate(fields);
    },
  };
}

/** Cheap checks when the registry is made, so a bad definition fails at start-up, not on first use. */
function checkTypeDefinition(type: LicenseType, index: number): void {
  const fail = (field: string, message: string): never => {
    throw new ElicenseError('ERR_INVALID_INPUT', `license type #${index}: ${message}`, { field: `types.${index}.${field}` });
  };
  if (typeof type.code !== 'string' || !/^.{18}\d{3}$/.test(type.code) || !isUsccStructure(type.code.slice(0, 18))) {
    fail('code', 'the code is the defining authority USCC followed by 3 digits');
  }
  if (type.definingAuthority.code !== type.code.slice(0, 18)) {
    fail('definingAuthority.code', 'the type code must start with the defining authority code');
  }
  if (type.holderCategory !== 'legal-person' && type.holderCategory !== 'natural-person') {
    fail('holderCategory', 'unknown holder category');
  }
  const rule = type.validity;
  const count = 'years' in rule ? rule.years : 'months' in rule ? rule.months : undefined;
  if ('longTerm' in rule ? rule.longTerm !== true : !Number.isInteger(count) || count! < 1 || count! > 1200) {
    fail('validity', 'the validity is { years } or { months } (a positive integer) or { longTerm: true }');
  }
}
