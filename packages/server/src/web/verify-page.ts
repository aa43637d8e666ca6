/**
 * The /verify page: a license file (PDF, signed JSON, OFD) or a photo of its QR code, verified in the
 * browser with the SDK's public verifier. The file is read locally and never sent: the only requests
 * are GETs for the repository's trust list, CRLs and status lists. The server puts its public URL and
 * the trust-list operator certificate to pin on <main>'s data attributes.
 */
import { createPublicVerifier, readSealPictures, type SealPicture, type VerificationReport } from '@elicense/sdk';
import { decodeQrImage, toPng } from './qr-decoder.js';
import { beijingTime, checkName, failingChecks, fieldRows, metadataRows, statusOf, verdictOf } from './report-view.js';

const MAX_FILE_BYTES = 50 << 20;

type Child = Node | string | undefined | false;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== undefined && child !== false) element.append(child);
  return element;
}

function definitionList(rows: readonly [string, string][], testId: string): HTMLElement {
  return el('dl', { 'data-testid': testId }, ...rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

function section(title: string, ...children: Child[]): HTMLElement {
  return el('section', { class: 'card' }, el('h2', {}, title), ...children);
}

const PICTURE_TYPES: Readonly<Record<string, string>> = { svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', bmp: 'image/bmp' };

function base64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function sealSection(report: VerificationReport, pictures: readonly SealPicture[]): HTMLElement {
  const sealChecks = report.checks.filter((c) => c.id.startsWith('seal.') || c.id.startsWith('trust.seal'));
  const sealFailing = sealChecks.filter((c) => c.indication !== 'TOTAL_PASSED');
  // A picture is only worth what its checks say: one from a document that failed is shown greyed out.
  const trusted = sealChecks.length > 0 && sealFailing.length === 0 && report.indication === 'TOTAL_PASSED';
  const verdict = sealFailing.length > 0
    ? el('p', { class: 'bad' }, `印章未通过核验，请勿以此图像为准：${sealFailing.map((c) => c.message).join('；')}`)
    : sealChecks.length === 0
      ? report.indication === 'TOTAL_PASSED'
        ? undefined
        : el('p', { class: 'bad' }, '文件未通过核验，印章未经核验：此图像不能作为凭证。')
      : report.indication !== 'TOTAL_PASSED'
        ? el('p', { class: 'bad' }, pictures.length > 0 ? '印章本身通过了核验，但文件未通过核验：此图像不能作为凭证。' : '所引用的印章已登记，但证照未通过核验。')
        : el('p', { class: 'ok' }, pictures.length > 0
          ? '印章已核验：随签名签署，制章者可信，已在信任列表登记。'
          : '签名所引用的印章已核验：已在信任列表登记，状态有效。');
  if (pictures.length === 0) {
    const why = report.format === 'jws'
      ? '签名 JSON 证照只以印章标识和图像摘要引用印章，不含印章图像。'
      : report.format === 'qr'
        ? '二维码不含印章图像。'
        : '文件中没有可显示的电子印章。';
    return section('电子印章', el('p', { class: 'muted', 'data-testid': 'seal-none' }, why), verdict);
  }
  const figures = pictures.map((picture) => {
    const mime = PICTURE_TYPES[picture.type];
    let image: HTMLElement;
    if (mime) {
      image = el('img', { src: `data:${mime};base64,${base64(picture.data)}`, alt: `印章图像：${picture.name}`, 'data-testid': 'seal-picture' });
      // Shown at the seal's own size (CSSOM, which the page's CSP allows), capped for odd values.
      image.style.width = `${Math.min(Math.max(picture.widthMm, 10), 60)}mm`;
    } else {
      image = el('p', { class: 'muted' }, `印章图像为 ${picture.type} 格式，浏览器无法显示。`);
    }
    return el('figure', { class: trusted ? 'trusted' : 'untrusted' }, image, el('figcaption', {}, `${picture.name}（印章标识 ${picture.esID}）`));
  });
  return section('电子印章', ...figures, verdict);
}

function issuerSection(report: VerificationReport): HTMLElement {
  const signer = report.signatures.find((s) => s.signer)?.signer;
  const rows: [string, string][] = [];
  if (report.license?.issuerName) rows.push(['发证机关', report.license.issuerName]);
  if (report.license?.issuerCode) rows.push(['发证机关代码', report.license.issuerCode]);
  if (signer) {
    rows.push(['签名者', signer.organizationName ?? signer.subject]);
    if (signer.organizationCode) rows.push(['签名者代码', signer.organizationCode]);
    rows.push(['证书颁发者', signer.issuer]);
    rows.push(['证书序列号', signer.serialNumber]);
    rows.push(['证书有效期', `${beijingTime(signer.notBefore)} 至 ${beijingTime(signer.notAfter)}`]);
  }
  return section('签发者', rows.length > 0 ? definitionList(rows, 'issuer') : el('p', { class: 'muted' }, '无法读出签发者。'));
}

function statusSection(report: VerificationReport): HTMLElement {
  const status = statusOf(report);
  const rows: [string, string][] = [['核验时间', `${beijingTime(report.validationTime)}（北京时间）`]];
  for (const source of report.statusSources ?? []) {
    const list = /\/revocation\//.test(source.source ?? '') ? '吊销状态列表' : /\/suspension\//.test(source.source ?? '') ? '暂扣状态列表' : '状态列表';
    rows.push([list, `${beijingTime(source.issued)} 签发，有效至 ${beijingTime(source.nextUpdate)}`]);
  }
  if (report.trustList) rows.push(['信任列表', `第 ${report.trustList.sequence ?? '—'} 版，签发于 ${beijingTime(report.trustList.issued)}`]);
  return section(
    '证照状态',
    status
      ? el('p', { class: `status ${status.tone}`, 'data-testid': 'status' }, status.title)
      : el('p', { class: 'muted', 'data-testid': 'status' }, '未能检查证照状态。'),
    status && el('p', { class: 'detail' }, status.detail),
    definitionList(rows, 'times'),
  );
}

function checksSection(report: VerificationReport): HTMLElement {
  const item = (check: VerificationReport['checks'][number]) =>
    el('li', { class: check.indication === 'TOTAL_PASSED' ? 'passed' : check.indication === 'TOTAL_FAILED' ? 'failed' : 'indeterminate' },
      el('span', { class: 'check-name' }, checkName(check.id)),
      el('code', {}, check.subIndication ? `${check.id} · ${check.subIndication}` : check.id),
      el('span', { class: 'check-message' }, check.message));
  return el('details', { class: 'card all-checks' },
    el('summary', {}, `全部检查项（${report.checks.length} 项）`),
    el('ul', { class: 'checks' }, ...report.checks.map(item)),
    report.warnings.length > 0 && el('ul', { class: 'warnings' }, ...report.warnings.map((w) => el('li', {}, w))));
}

function render(report: VerificationReport, pictures: readonly SealPicture[], fileName: string): HTMLElement {
  const verdict = verdictOf(report);
  const failing = failingChecks(report);
  const license = report.license;
  const metadata = license ? metadataRows(license) : [];
  const fields = fieldRows(license?.fields);
  const formatName = { jws: '签名 JSON', pdf: 'PDF', ofd: 'OFD', ses: '电子签章', qr: '二维码', unknown: '未知格式' }[report.format];
  return el('div', { class: 'report', 'data-testid': 'report', 'data-indication': report.indication },
    el('section', { class: `verdict ${verdict.tone}`, 'data-testid': 'verdict' },
      el('p', { class: 'verdict-title', 'data-testid': 'verdict-title' }, verdict.title),
      el('p', { class: 'verdict-explanation' }, verdict.explanation),
      el('p', { class: 'verdict-code' }, el('code', { 'data-testid': 'indication' }, verdict.code), ` · ${formatName} · ${fileName}`)),
    failing.length > 0 && el('section', { class: 'card problems', 'data-testid': 'failing-checks' },
      el('h2', {}, '未通过的检查'),
      el('ul', {}, ...failing.map((check) => el('li', { class: check.indication === 'TOTAL_FAILED' ? 'failed' : 'indeterminate' },
        el('strong', {}, checkName(check.id)), ' ', el('code', {}, check.subIndication ? `${check.id} · ${check.subIndication}` : check.id),
        el('div', { class: 'check-message' }, check.message))))),
    el('div', { class: 'columns' },
      el('div', {},
        section('证照信息',
          report.indication !== 'TOTAL_PASSED' && metadata.length > 0 && el('p', { class: 'bad', 'data-testid': 'unverified-note' }, '以下内容取自未通过核验的文件，仅供参考，不能作为凭证。'),
          metadata.length > 0 ? definitionList(metadata, 'license') : el('p', { class: 'muted' }, '未能读出证照信息。')),
        fields.length > 0 && section('照面信息', definitionList(fields, 'fields'))),
      el('div', {}, sealSection(report, pictures), statusSection(report), issuerSection(report))),
    checksSection(report));
}

function main(): void {
  const root = document.getElementById('verify');
  const input = document.getElementById('file') as HTMLInputElement | null;
  const drop = document.getElementById('drop');
  const output = document.getElementById('result');
  if (!root || !input || !drop || !output) return;
  const verifier = createPublicVerifier({
    baseUrl: location.origin,
    publicUrl: root.dataset.publicUrl ?? location.origin,
    trustOperatorCertificate: root.dataset.operatorCertificate ?? '',
    // A counter wants the current status: status lists are asked for again after a minute.
    maxStatusAge: 60,
    decodeQrImage,
  });

  let running = 0;
  async function verifyFile(file: File): Promise<void> {
    const turn = ++running;
    output!.replaceChildren(el('p', { class: 'busy', 'data-testid': 'busy' }, `正在核验 ${file.name}…`));
    output!.hidden = false;
    output!.dataset.state = 'busy';
    output!.dataset.file = file.name;
    try {
      if (file.size > MAX_FILE_BYTES) throw new Error(`文件大于 ${MAX_FILE_BYTES >> 20} MB，不是电子证照`);
      let bytes: Uint8Array = new Uint8Array(await file.arrayBuffer());
      if (/^image\//.test(file.type) && !/^image\/(png|jpeg)$/.test(file.type)) bytes = await toPng(bytes);
      const [report, pictures] = await Promise.all([verifier.verify(bytes), readSealPictures(bytes)]);
      if (turn !== running) return;
      output!.replaceChildren(render(report, pictures, file.name));
    } catch (error) {
      if (turn !== running) return;
      output!.replaceChildren(el('section', { class: 'verdict unknown', 'data-testid': 'verdict' },
        el('p', { class: 'verdict-title', 'data-testid': 'verdict-title' }, '无法核验'),
        el('p', { class: 'verdict-explanation' }, (error as Error).message)));
    }
    output!.dataset.state = 'done';
  }

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void verifyFile(file);
  });
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file) void verifyFile(file);
  });
  root.dataset.state = 'ready';
}

main();
