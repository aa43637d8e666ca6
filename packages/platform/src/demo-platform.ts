/**
 * A complete demo platform made from scratch: CAs, issuing offices with signing certificates for every
 * algorithm, a trust list operator, CRLs, status lists and sample licenses. The `demo` command and the
 * test-vector generator both build on it. Every key it makes is for testing only.
 */
import {
  createSigner,
  generateSigningKey,
  type SignatureAlgorithm,
  type Signer,
  type SoftwareSigningKey,
} from '@elicense/core/crypto';
import { createCrl, createIssuerCertificate, createIssuingCa, createRootCa } from '@elicense/core/pki';
import { createTimeStampAuthority, createTimeStampingCertificate, type TimeStampAuthority } from '@elicense/core/tsp';
import {
  buildLicenseCredential,
  defaultLicenseTypeRegistry,
  type LicenseCredential,
  type LicenseTypeRegistry,
} from '@elicense/core/license';
import { createStatusBitstring, setStatusBit, signStatusList, type StatusPurpose } from '@elicense/core/status';
import { signTrustList, type TrustedSeal, type TrustListContent } from '@elicense/core/trust';
import { createSesSeal, officialSealPicture, parseSesSeal, sm3, toHex } from '@elicense/core';

export interface DemoKey {
  readonly name: string;
  readonly role: 'root-ca' | 'issuing-ca' | 'issuer' | 'trust-list-operator' | 'status-issuer' | 'time-stamping-authority' | 'seal-maker';
  readonly alg: SignatureAlgorithm;
  readonly key: SoftwareSigningKey;
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly organizationName?: string;
  readonly organizationCode?: string;
  readonly licenseTypes?: readonly string[];
  readonly signer: Signer;
}

export interface DemoOffice {
  readonly name: string;
  readonly code: string;
  readonly licenseTypes: readonly string[];
}

export interface DemoTimes {
  /** Start of CA and certificate validity. */
  readonly caFrom: Date;
  readonly caUntil: Date;
  readonly certFrom: Date;
  readonly certUntil: Date;
  /** Trust list, CRLs and status lists are issued at `published` and fall due at `nextUpdate`. */
  readonly published: Date;
  readonly nextUpdate: Date;
}

/**
 * Real codes from STANDARDS-CN.md where the organisation is real. Demo offices carry made-up codes in the
 * unused division 99xxxx, with valid GB 32100 and GB 11714 check characters.
 */
export const DEMO_OFFICES = {
  housing: { name: '吉林省住房和城乡建设厅', code: '11220000013544541J' },
  market: { name: '演示市市场监督管理局', code: '11990100MB12345620' },
  health: { name: '演示市卫生健康委员会', code: '11990100MB23456781' },
  operator: { name: '演示省电子证照共享平台', code: '11990000MB3456783T' },
} as const;

/** The code of a shipped license type, by its Chinese name. */
export function typeCodeByName(name: string, registry: LicenseTypeRegistry = defaultLicenseTypeRegistry): string {
  const type = registry.list().find((t) => t.name === name);
  if (!type) throw new Error(`no license type named ${name}`);
  return type.code;
}

/** The shipped license types the demo uses, by role. */
export function demoTypes(registry: LicenseTypeRegistry = defaultLicenseTypeRegistry) {
  return {
    business: typeCodeByName('营业执照', registry),
    food: typeCodeByName('食品经营许可证', registry),
    safety: typeCodeByName('建筑施工企业安全生产许可证', registry),
    operator: typeCodeByName('建筑施工特种作业人员操作资格证书', registry),
    medical: typeCodeByName('医疗机构执业许可证', registry),
  };
}

/** The three demo offices (住建厅, 市场监管局, 卫健委), each authorised for its own license types. */
export function demoOffices(types = demoTypes()): [housing: DemoOffice, market: DemoOffice, health: DemoOffice] {
  return [
    { ...DEMO_OFFICES.housing, licenseTypes: [types.safety, types.operator] },
    { ...DEMO_OFFICES.market, licenseTypes: [types.business, types.food] },
    { ...DEMO_OFFICES.health, licenseTypes: [types.medical] },
  ];
}

const DAY = 86_400_000;

/** Validity windows around `now`: CAs for ten years, signing certificates for three, lists for a month. */
export function demoTimesAround(now: Date): DemoTimes {
  return {
    caFrom: new Date(now.getTime() - 30 * DAY),
    caUntil: new Date(now.getTime() + 3650 * DAY),
    certFrom: new Date(now.getTime() - 7 * DAY),
    certUntil: new Date(now.getTime() + 1095 * DAY),
    published: new Date(now.getTime() - DAY),
    nextUpdate: new Date(now.getTime() + 30 * DAY),
  };
}

export const STATUS_BASE_URL = 'https://status.elicense.example/lists';

export function statusListUrl(typeCode: string, purpose: StatusPurpose): string {
  return `${STATUS_BASE_URL}/${typeCode}/${purpose}/1`;
}

function certSubject(commonName: string, office?: { name: string; code: string }) {
  return office
    ? { commonName, organizationName: office.name, organizationCode: office.code, country: 'CN' }
    : { commonName, country: 'CN' };
}

export interface DemoPki {
  readonly keys: Map<string, DemoKey>;
  get(name: string): DemoKey;
  /** A signing certificate for an office from the issuing CA of the key's family. */
  issueSigningCert(
    name: string,
    role: DemoKey['role'],
    alg: SignatureAlgorithm,
    office: { name: string; code: string; licenseTypes?: readonly string[] },
    validity?: { from: Date; until: Date },
  ): Promise<DemoKey>;
}

/** Two roots (international ES256 and domestic SM2), an issuing CA under each, and the signing certificates. */
export async function createDemoPki(times: DemoTimes, offices: readonly DemoOffice[]): Promise<DemoPki> {
  const keys = new Map<string, DemoKey>();
  const add = (entry: Omit<DemoKey, 'signer'>) => {
    keys.set(entry.name, { ...entry, signer: createSigner(entry.key, entry.chain) });
  };
  for (const family of [
    { prefix: 'intl', alg: 'ES256' as const, label: '' },
    { prefix: 'sm2', alg: 'SM2SM3' as const, label: ' SM2' },
  ]) {
    const rootKey = await generateSigningKey(family.alg);
    const root = await createRootCa({
      key: rootKey,
      subject: certSubject(`eLicense Demo${family.label} Root CA (TEST ONLY)`),
      notBefore: times.caFrom,
      notAfter: times.caUntil,
    });
    add({ name: `${family.prefix}-root-ca`, role: 'root-ca', alg: family.alg, key: rootKey, certificate: root, chain: [root] });
    const caKey = await generateSigningKey(family.alg);
    const ca = await createIssuingCa({
      issuerCertificate: root,
      issuerKey: rootKey,
      subjectPublicKey: caKey.publicKey,
      subject: certSubject(`eLicense Demo${family.label} Issuing CA (TEST ONLY)`),
      notBefore: times.caFrom,
      notAfter: times.caUntil,
      pathLength: 0,
    });
    add({ name: `${family.prefix}-issuing-ca`, role: 'issuing-ca', alg: family.alg, key: caKey, certificate: ca, chain: [ca, root] });
  }

  const issueSigningCert = async (
    name: string,
    role: DemoKey['role'],
    alg: SignatureAlgorithm,
    office: { name: string; code: string; licenseTypes?: readonly string[] },
    validity: { from: Date; until: Date } = { from: times.certFrom, until: times.certUntil },
  ): Promise<DemoKey> => {
    const ca = keys.get(alg === 'SM2SM3' ? 'sm2-issuing-ca' : 'intl-issuing-ca')!;
    const key = await generateSigningKey(alg);
    const certificate = await createIssuerCertificate({
      issuerCertificate: ca.certificate,
      issuerKey: ca.key,
      subjectPublicKey: key.publicKey,
      subject: { commonName: `${office.name} 电子证照签发 ${alg} (TEST ONLY)`, organizationName: office.name, organizationCode: office.code, country: 'CN' },
      notBefore: validity.from,
      notAfter: validity.until,
    });
    add({
      name,
      role,
      alg,
      key,
      certificate,
      chain: [certificate, ca.certificate],
      organizationName: office.name,
      organizationCode: office.code,
      ...(office.licenseTypes ? { licenseTypes: office.licenseTypes } : {}),
    });
    return keys.get(name)!;
  };

  for (const office of offices) {
    const slug = office.code.slice(-6).toLowerCase();
    await issueSigningCert(`issuer-${slug}-es256`, 'issuer', 'ES256', office);
    await issueSigningCert(`issuer-${slug}-sm2`, 'issuer', 'SM2SM3', office);
  }
  await issueSigningCert('trust-list-operator', 'trust-list-operator', 'ES256', DEMO_OFFICES.operator);
  await issueSigningCert('status-issuer', 'status-issuer', 'ES256', DEMO_OFFICES.operator);
  // The province's seal maker (制章者): it signs the offices' electronic seals, never documents.
  await issueSigningCert(DEMO_SEAL_MAKER, 'seal-maker', 'SM2SM3', DEMO_OFFICES.operator);

  // The platform's time-stamping authority (RFC 3161), for PAdES B-T and later.
  const intlCa = keys.get('intl-issuing-ca')!;
  const tsaKey = await generateSigningKey('ES256');
  const tsaCertificate = await createTimeStampingCertificate({
    issuerCertificate: intlCa.certificate,
    issuerKey: intlCa.key,
    subjectPublicKey: tsaKey.publicKey,
    subject: { commonName: 'eLicense Demo Time-Stamping Authority (TEST ONLY)', organizationName: DEMO_OFFICES.operator.name, organizationCode: DEMO_OFFICES.operator.code, country: 'CN' },
    notBefore: times.certFrom,
    notAfter: times.certUntil,
  });
  add({
    name: 'time-stamping-authority',
    role: 'time-stamping-authority',
    alg: 'ES256',
    key: tsaKey,
    certificate: tsaCertificate,
    chain: [tsaCertificate, intlCa.certificate],
    organizationName: DEMO_OFFICES.operator.name,
    organizationCode: DEMO_OFFICES.operator.code,
  });

  return {
    keys,
    get(name) {
      const key = keys.get(name);
      if (!key) throw new Error(`no demo key named ${name}`);
      return key;
    },
    issueSigningCert,
  };
}

/**
 * `listSigningCertificates` also lists each office's signing certificates beside the CAs, so a QR code,
 * which names its signer only by key id, can be verified offline.
 */
export async function createDemoTrustList(
  pki: DemoPki,
  offices: readonly DemoOffice[],
  times: DemoTimes,
  sequence = 1,
  options: { listSigningCertificates?: boolean; seals?: readonly DemoSeal[] } = {},
): Promise<string> {
  const sealsOf = (office: DemoOffice) => (options.seals ?? []).filter((seal) => seal.officeCode === office.code).map((seal) => seal.registration);
  const signingCertificates = (office: DemoOffice) =>
    options.listSigningCertificates
      ? [...pki.keys.values()].filter((key) => key.role === 'issuer' && key.organizationCode === office.code).map((key) => key.certificate)
      : [];
  const content: TrustListContent = {
    sequence,
    issued: times.published.toISOString(),
    nextUpdate: times.nextUpdate.toISOString(),
    operator: DEMO_OFFICES.operator,
    issuers: offices.map((office) => ({
      name: office.name,
      code: office.code,
      // The issuing CAs, so every signing certificate they certify for this office is covered.
      certificates: [pki.get('intl-issuing-ca').certificate, pki.get('sm2-issuing-ca').certificate, ...signingCertificates(office)],
      licenseTypes: office.licenseTypes,
      ...(sealsOf(office).length > 0 ? { seals: sealsOf(office) } : {}),
    })),
    statusIssuers: [{ ...DEMO_OFFICES.operator, certificates: [pki.get('intl-issuing-ca').certificate] }],
    // The seal maker's own certificate: trusting the SM2 issuing CA as a seal maker would trust every office for it.
    sealMakers: [{ ...DEMO_OFFICES.operator, certificates: [pki.get(DEMO_SEAL_MAKER).certificate] }],
    // The TSA's own certificate: trusting the issuing CA for time-stamping would trust every office's key for it.
    timestampAuthorities: [{ ...DEMO_OFFICES.operator, certificates: [pki.get('time-stamping-authority').certificate] }],
  };
  return signTrustList(content, pki.get('trust-list-operator').signer);
}

export const DEMO_SEAL_MAKER = 'license-seal-maker';

export interface DemoSeal {
  readonly officeCode: string;
  /** DER SESeal (GB/T 38540 v4). */
  readonly der: Uint8Array;
  /** Its entry in the trust list's seal registry. */
  readonly registration: TrustedSeal;
}

/**
 * An office's 电子证照专用章: the official seal `issueLicensePdf` draws by default (the office's name, 电子证照专用章),
 * made by the demo seal maker and listing every signing certificate the office has in `pki` so far.
 */
export async function createDemoSeal(
  pki: DemoPki,
  office: { name: string; code: string },
  input: { esID: string; font: Uint8Array; validStart: Date; validEnd: Date; centerText?: string; status?: TrustedSeal['status']; statusSince?: Date },
): Promise<DemoSeal> {
  const certificates = [...pki.keys.values()].filter((key) => key.role === 'issuer' && key.organizationCode === office.code).map((key) => key.certificate);
  const der = await createSesSeal({
    maker: pki.get(DEMO_SEAL_MAKER).signer,
    esID: input.esID,
    type: 1,
    name: `${office.name}电子证照专用章`,
    certListType: 1,
    certificates,
    validStart: input.validStart,
    validEnd: input.validEnd,
    picture: officialSealPicture({ organizationName: office.name, centerText: input.centerText ?? '电子证照专用章', font: input.font }),
  });
  const seal = parseSesSeal(der);
  const status = input.status ?? 'active';
  return {
    officeCode: office.code,
    der,
    registration: {
      esID: seal.esID,
      name: seal.property.name,
      type: seal.property.type,
      pictureSm3: toHex(sm3(seal.picture.data)),
      validStart: input.validStart.toISOString(),
      validEnd: input.validEnd.toISOString(),
      status,
      ...(input.statusSince ? { statusSince: input.statusSince.toISOString() } : {}),
    },
  };
}

/** The demo time-stamping authority, answering at the given clock. */
export function createDemoTimeStampAuthority(pki: DemoPki, now: () => Date): TimeStampAuthority {
  return createTimeStampAuthority({ signer: pki.get('time-stamping-authority').signer, policy: DEMO_TSA_POLICY, now });
}

/** A policy OID under 2.999, the arc ITU-T X.660 sets aside for examples; real TSAs publish their own. */
export const DEMO_TSA_POLICY = '2.999.1.1';

/** CRLs for both issuing CAs and both roots; `revoked` lists serials (hex) revoked under the issuing CAs. */
export async function createDemoCrls(
  pki: DemoPki,
  times: DemoTimes,
  revoked: readonly { serialNumber: string; revocationDate: Date; alg: SignatureAlgorithm }[] = [],
): Promise<Uint8Array[]> {
  const crls: Uint8Array[] = [];
  for (const prefix of ['intl', 'sm2'] as const) {
    for (const level of ['root-ca', 'issuing-ca'] as const) {
      const issuer = pki.get(`${prefix}-${level}`);
      crls.push(
        await createCrl({
          issuerCertificate: issuer.certificate,
          issuerKey: issuer.key,
          thisUpdate: times.published,
          nextUpdate: times.nextUpdate,
          crlNumber: 1,
          revoked:
            level === 'issuing-ca'
              ? revoked.filter((r) => (r.alg === 'SM2SM3') === (prefix === 'sm2')).map((r) => ({ serialNumber: r.serialNumber, revocationDate: r.revocationDate, reason: 'keyCompromise' as const }))
              : [],
        }),
      );
    }
  }
  return crls;
}

/** One revocation and one suspension list per license type, with the given indexes set. */
export async function createDemoStatusLists(
  pki: DemoPki,
  typeCodes: readonly string[],
  times: DemoTimes,
  set: readonly { typeCode: string; purpose: StatusPurpose; index: number }[] = [],
): Promise<Map<string, string>> {
  const lists = new Map<string, string>();
  for (const typeCode of typeCodes) {
    for (const purpose of ['revocation', 'suspension'] as const) {
      const bits = createStatusBitstring();
      for (const entry of set) if (entry.typeCode === typeCode && entry.purpose === purpose) setStatusBit(bits, entry.index, true);
      const url = statusListUrl(typeCode, purpose);
      lists.set(
        url,
        await signStatusList(
          { id: url, issuer: DEMO_OFFICES.operator, purpose, bits, validFrom: times.published, validUntil: times.nextUpdate },
          pki.get('status-issuer').signer,
        ),
      );
    }
  }
  return lists;
}

export interface DemoLicenseInput {
  readonly typeCode: string;
  readonly office: { name: string; code: string };
  readonly serial: string;
  readonly statusIndex: number;
  readonly issuedDate: string;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly registry?: LicenseTypeRegistry;
  readonly version?: number;
  readonly previousIdentifier?: string;
  readonly fields?: Record<string, unknown>;
  readonly holder?: { name: string; code: string };
}

/** The sample's license number with its last digits replaced by the serial's, so the type's pattern still holds. */
function numberFromSample(sampleNumber: string, serial: string): string {
  const digits = /\d+$/.exec(sampleNumber);
  if (!digits) return `${sampleNumber}${serial}`;
  const serialDigits = serial.replace(/\D/g, '').slice(-Math.min(digits[0].length, 8));
  return sampleNumber.slice(0, sampleNumber.length - serialDigits.length) + serialDigits;
}

/** A license built from the type's own sample data, with revocation and suspension status entries. */
export function createDemoLicense(input: DemoLicenseInput): LicenseCredential {
  const registry = input.registry ?? defaultLicenseTypeRegistry;
  const type = registry.get(input.typeCode);
  const numberField = type.linkedFields?.number;
  const sampleNumber = numberField === undefined ? undefined : type.sample.fields[numberField];
  const number = typeof sampleNumber === 'string' ? numberFromSample(sampleNumber, input.serial) : input.serial;
  const fields = { ...(input.fields ?? type.sample.fields), ...(numberField === undefined ? {} : { [numberField]: number }) };
  return buildLicenseCredential(
    {
      typeCode: input.typeCode,
      issuer: input.office,
      holder: input.holder ?? type.sample.holder,
      number,
      serial: input.serial,
      ...(input.version ? { version: input.version } : {}),
      ...(input.previousIdentifier ? { previousIdentifier: input.previousIdentifier } : {}),
      issuedDate: input.issuedDate,
      validFrom: input.validFrom,
      ...(input.validUntil ? { validUntil: input.validUntil } : {}),
      fields,
      credentialStatus: (['revocation', 'suspension'] as const).map((purpose) => ({
        id: `${statusListUrl(input.typeCode, purpose)}#${input.statusIndex}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: purpose,
        statusListIndex: String(input.statusIndex),
        statusListCredential: statusListUrl(input.typeCode, purpose),
      })),
    },
    registry,
  );
}
