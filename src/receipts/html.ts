/** The receipt as a self-contained HTML page, sized like the paper, with the QR code inline as SVG. */
import QRCode from 'qrcode';
import { escapeHtml } from '../kernel';
import type { PaperWidthMm } from './escpos';
import type { ReceiptDoc } from './model';

const rows = (pairs: [string, string][], cls = '') =>
  pairs
    .map(
      ([l, v]) => `<div class="row ${cls}"><span>${escapeHtml(l)}</span><span>${escapeHtml(v)}</span></div>`,
    )
    .join('\n');

export async function renderHtml(doc: ReceiptDoc, widthMm: PaperWidthMm): Promise<string> {
  const qrSvg = await QRCode.toString(doc.qrUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  const lines = doc.lines
    .map(
      (l) => `<li>
  <div class="name">${escapeHtml(l.name)}</div>
  <div class="detail">${escapeHtml(l.detail)}</div>
  <div class="row"><span>${escapeHtml(l.qtyAndPrice)}</span><span>${escapeHtml(l.amount)}</span></div>
  ${l.discount ? `<div class="row discount"><span></span><span>${escapeHtml(l.discount)}</span></div>` : ''}
</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${doc.lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(doc.title)} ${escapeHtml(doc.facts[0]?.[1] ?? '')}</title>
<style>
  @page { size: ${widthMm}mm auto; margin: 0; }
  body { margin: 0; background: #f3f3f3; font: 13px/1.45 "WenQuanYi Zen Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", monospace; color: #111; }
  .paper { width: ${widthMm === 80 ? 72 : 48}mm; margin: 8px auto; padding: 4mm; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.2); }
  @media print { body { background: #fff; } .paper { box-shadow: none; margin: 0; } }
  h1 { font-size: 16px; text-align: center; margin: 0 0 2px; }
  .centre { text-align: center; }
  .title { font-weight: bold; text-align: center; margin-top: 4px; }
  .reprint { font-weight: bold; text-align: center; }
  hr { border: 0; border-top: 1px dashed #444; margin: 6px 0; }
  .row { display: flex; justify-content: space-between; gap: 8px; }
  ul { list-style: none; margin: 0; padding: 0; }
  li { margin-bottom: 4px; }
  .detail, .discount { color: #555; font-size: 12px; }
  .grand { font-size: 18px; font-weight: bold; }
  .qr { display: block; width: 40mm; margin: 6px auto 0; }
  .qr svg { width: 100%; height: auto; }
</style>
</head>
<body>
<main class="paper" data-testid="receipt">
  <h1>${escapeHtml(doc.storeName)}</h1>
  <div class="centre">${escapeHtml(doc.storeAddress)}</div>
  <div class="centre">${escapeHtml(doc.storePhone)}</div>
  <div class="title">${escapeHtml(doc.title)}</div>
  ${doc.reprintMark ? `<div class="reprint">${escapeHtml(doc.reprintMark)}</div>` : ''}
  <hr>
  ${rows(doc.facts)}
  <hr>
  <ul>${lines}</ul>
  <hr>
  ${rows(doc.totals)}
  ${rows([doc.grandTotal], 'grand')}
  ${rows(doc.tenders)}
  <hr>
  <div class="qr" aria-label="${escapeHtml(doc.qrCaption)}">${qrSvg}</div>
  <div class="centre">${escapeHtml(doc.qrCaption)}</div>
  ${doc.footer.map((f) => `<div class="centre">${escapeHtml(f)}</div>`).join('\n')}
</main>
</body>
</html>`;
}
