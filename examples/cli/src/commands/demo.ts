/**
 * `elicense demo`: a whole platform in one folder — CAs, three issuing offices, a trust list, CRLs,
 * status lists and one license of every shipped type — then verifies each license and shows a revoked
 * one failing. It prints where everything is and what to run next.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import {
  authorityTimestamper,
  defaultLicenseTypeRegistry,
  DOMESTIC_JWS_ALGORITHMS,
  issueLicensePdf,
  exportPrivateKeyPem,
  signLicenseCompact,
  signLicenseMulti,
  signLicenseQr,
  toPem,
  verifyDocument,
  verifyLicenseQr,
  verifyTrustListTrustingEmbeddedOperator,
  utf8,
  type VerificationReport,
} from '@elicense/core';
import {
  createDemoCrls,
  createDemoLicense,
  createDemoPki,
  createDemoSeal,
  createDemoStatusLists,
  createDemoTimeStampAuthority,
  createDemoTrustList,
  demoOffices,
  demoTimesAround,
  demoTypes,
  type DemoOffice,
  type DemoSeal,
} from '@elicense/platform/demo';
import { writeOutput } from '../io.js';
import { loadLicenseFont } from '@elicense/platform/license-font';

const DAY = 86_400_000;

function verdict(report: VerificationReport): string {
  const text = `${report.indication}${report.subIndication ? ` ${report.subIndication}` : ''}`;
  return report.valid ? pc.green(`✔ ${text}`) : report.indication === 'TOTAL_FAILED' ? pc.red(`✘ ${text}`) : pc.yellow(`? ${text}`);
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('create a demo PKI, trust list, status lists and licenses in a folder, and verify them')
    .option('--dir <folder>', 'where to write everything', 'demo-output')
    .addHelpText('after', `
Everything written is for testing only: the keys are demo keys.

Examples:
  $ elicense demo
  $ elicense demo --dir /tmp/elicense-demo`)
    .action(async (flags: { dir: string }) => {
      const dir = resolve(flags.dir);
      const now = new Date();
      const times = demoTimesAround(now);
      const step = (text: string) => process.stdout.write(`${pc.cyan('•')} ${text}\n`);

      const types = demoTypes();
      const offices = demoOffices(types);
      step('creating the demo PKI: ES256 and SM2 roots, issuing CAs, a signing certificate per office and algorithm');
      const pki = await createDemoPki(times, offices);
      for (const key of pki.keys.values()) {
        await writeOutput(join(dir, 'pki', `${key.name}.key.pem`), `# DEMO KEY: for testing only\n${await exportPrivateKeyPem(key.key)}`, 0o600);
        await writeOutput(join(dir, 'pki', `${key.name}.cert.pem`), toPem('CERTIFICATE', key.certificate));
      }
      step('making each office\'s electronic seal (GB/T 38540 电子证照专用章), signed by the demo seal maker');
      const font = await loadLicenseFont();
      const seals: DemoSeal[] = [];
      for (const [i, office] of offices.entries()) {
        const seal = await createDemoSeal(pki, office, { esID: `${office.code.slice(2, 8)}${String(i + 1).padStart(8, '0')}`, font, validStart: times.certFrom, validEnd: times.certUntil });
        seals.push(seal);
        await writeOutput(join(dir, 'seals', `${office.code.slice(-6).toLowerCase()}.esl`), seal.der);
      }
      step('signing the trust list: which office may issue which license types, with its CAs, signing certificates and registered seals');
      const trustList = await createDemoTrustList(pki, offices, times, 1, { listSigningCertificates: true, seals });
      await writeOutput(join(dir, 'trust-list.json'), trustList);

      const samples: { name: string; office: DemoOffice; typeCode: string; dual: boolean; revoke?: boolean }[] = [
        { name: 'business-license', office: offices[1]!, typeCode: types.business, dual: true },
        { name: 'food-business-license', office: offices[1]!, typeCode: types.food, dual: false },
        { name: 'construction-safety-license', office: offices[0]!, typeCode: types.safety, dual: true },
        { name: 'special-operator-certificate', office: offices[0]!, typeCode: types.operator, dual: false },
        { name: 'medical-institution-license', office: offices[2]!, typeCode: types.medical, dual: true },
        { name: 'special-operator-certificate-revoked', office: offices[0]!, typeCode: types.operator, dual: false, revoke: true },
      ];
      const issued = samples.map((sample, i) => ({
        ...sample,
        credential: createDemoLicense({
          typeCode: sample.typeCode,
          office: sample.office,
          serial: `DEMO${String(i + 1).padStart(6, '0')}`,
          statusIndex: 100 + i,
          issuedDate: now.toISOString().slice(0, 10),
          validFrom: new Date(now.getTime() - DAY).toISOString(),
        }),
      }));

      step('publishing CRLs and status lists (one license revoked)');
      const crls = await createDemoCrls(pki, times);
      await writeOutput(join(dir, 'crls.pem'), crls.map((der) => toPem('X509 CRL', der)).join(''));
      const statusLists = await createDemoStatusLists(pki, Object.values(types), times,
        issued.filter((l) => l.revoke).map((l) => ({ typeCode: l.typeCode, purpose: 'revocation' as const, index: Number(l.credential.credentialStatus![0]!.statusListIndex) })));
      const statusFiles = new Map<string, string>();
      for (const [url, jws] of statusLists) {
        const file = join(dir, 'status', `${url.split('/').slice(-3).join('-')}.jws`);
        statusFiles.set(url, file);
        await writeOutput(file, jws);
      }

      step(`issuing ${issued.length} licenses as signed JSON (ES256, or ES256 + SM2 dual signatures) and as sealed PDFs (PAdES B-LTA)`);
      const trust = { list: await verifyTrustListTrustingEmbeddedOperator(utf8(trustList), { at: now }) };
      const verifyOptions = { at: now, trust, crls, status: async (url: string) => statusLists.get(url), algorithms: DOMESTIC_JWS_ALGORITHMS };
      const timestamper = authorityTimestamper(createDemoTimeStampAuthority(pki, () => new Date()));
      const validationData = {
        certificates: ['intl-issuing-ca', 'intl-root-ca', 'time-stamping-authority'].map((name) => pki.get(name).certificate),
        crls,
      };
      const rows: string[] = [];
      for (const license of issued) {
        const slug = license.office.code.slice(-6).toLowerCase();
        const es = pki.get(`issuer-${slug}-es256`).signer;
        const sm2 = pki.get(`issuer-${slug}-sm2`).signer;
        const seal = seals.find((s) => s.officeCode === license.office.code)!.der;
        const content = license.dual
          ? `${JSON.stringify(await signLicenseMulti(license.credential, [es, sm2], { seal }), null, 2)}\n`
          : await signLicenseCompact(license.credential, es, { seal });
        const file = join(dir, 'licenses', `${license.name}.${license.dual ? 'json' : 'jws'}`);
        await writeOutput(file, content);
        const pdfFile = join(dir, 'licenses', `${license.name}.pdf`);
        const subject = license.credential.credentialSubject;
        const qrText = await signLicenseQr(license.credential, es, { verificationUrl: 'https://verify.elicense.example/v1' });
        await writeOutput(
          pdfFile,
          await issueLicensePdf({
            credential: license.credential,
            type: defaultLicenseTypeRegistry.get(license.typeCode),
            signedJson: content.trim(),
            qrText,
            font,
            signer: es,
            sesSeal: seal,
            signingTime: new Date(),
            timestamper,
            validationData,
            archiveTimestamp: true,
          }),
        );
        for (const [path, bytes] of [[file, utf8(content)], [pdfFile, await readFile(pdfFile)]] as const) {
          const report = await verifyDocument(bytes, { ...verifyOptions, at: new Date() });
          rows.push(`  ${verdict(report)}  ${subject.certificateName}  ${subject.certificateHolderName}  ${pc.dim(relative(process.cwd(), path))}`);
        }
        const qrReport = await verifyLicenseQr(qrText, { ...verifyOptions, at: new Date() });
        rows.push(`  ${verdict(qrReport)}  ${subject.certificateName}  ${subject.certificateHolderName}  ${pc.dim(`QR code on ${relative(process.cwd(), pdfFile)}, offline`)}`);
      }
      process.stdout.write(`\n${pc.bold('verified')}\n${rows.join('\n')}\n`);

      const example = issued.find((l) => l.dual)!;
      const rel = (p: string) => relative(process.cwd(), p) || '.';
      const exampleStatus = [join(dir, 'crls.pem'), statusFiles.get(example.credential.credentialStatus![0]!.statusListCredential)!, statusFiles.get(example.credential.credentialStatus![1]!.statusListCredential)!];
      process.stdout.write(`
${pc.bold('where things are')}  ${rel(dir)}/
  pki/            demo CA, issuer and operator keys and certificates (PEM, demo only)
  trust-list.json the signed trust list        crls.pem   CRLs of the CAs
  status/         signed status lists           licenses/  the licenses: signed JSON and sealed PDF
  seals/          each office's electronic seal (GB/T 38540 SESeal), registered in the trust list

${pc.bold('next')}
  pnpm elicense verify ${rel(join(dir, 'licenses', `${example.name}.json`))} --trust ${rel(join(dir, 'trust-list.json'))} ${exampleStatus.map((s) => `--status ${rel(s)}`).join(' ')}
  pnpm elicense verify ${rel(join(dir, 'licenses', `${example.name}.pdf`))} --trust ${rel(join(dir, 'trust-list.json'))} ${exampleStatus.map((s) => `--status ${rel(s)}`).join(' ')}
  pdfsig ${rel(join(dir, 'licenses', `${example.name}.pdf`))}      (poppler reads the same signatures)
  pdftoppm -r 150 -png -singlefile ${rel(join(dir, 'licenses', `${example.name}.pdf`))} page && pnpm elicense verify page.png --trust ${rel(join(dir, 'trust-list.json'))} ${exampleStatus.map((s) => `--status ${rel(s)}`).join(' ')}
                  (a scan of the printed page: its QR code verifies offline)
  pnpm elicense inspect ${rel(join(dir, 'licenses', `${example.name}.json`))}
  pnpm elicense --help
`);
    });
}
