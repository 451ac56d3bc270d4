import { useRef, useState } from 'react';
import type { SlipView } from '../../../src/api-shapes';
import { mutate } from '../api/client';
import type { SaleView } from '../api/types';
import { useI18n } from '../i18n';

/** The receipt preview after payment, with print and reprint (each print is recorded and audited). */
export function ReceiptPanel({ sale, tillId }: { sale: SaleView; tillId: string }) {
  const { t, lang } = useI18n();
  const [width, setWidth] = useState<58 | 80>(80);
  // How many copies were printed so far; the preview shows the copy that was printed last.
  const [printed, setPrinted] = useState(0);
  const copy = Math.max(printed, 1);
  const frame = useRef<HTMLIFrameElement>(null);
  const src = `/api/sales/${sale.id}/receipt.html?lang=${lang}&width=${width}&copy=${copy}`;

  const print = async () => {
    const result = await mutate<{ printNo: number }>(
      'POST',
      `/api/sales/${sale.id}/receipt-prints`,
      { format: 'html', widthMm: width },
      tillId,
    );
    setPrinted(result.printNo);
    // Give the frame a moment to load the copy with its REPRINT mark before printing it.
    setTimeout(() => frame.current?.contentWindow?.print(), 300);
  };

  return (
    <section className="receipt-panel" aria-label={t('receipt')}>
      <div className="receipt-tools">
        <PaperWidth value={width} onChange={setWidth} />
        <button type="button" onClick={() => void print()}>
          {printed > 0 ? t('reprint') : t('print')}
        </button>
        <a href={`/api/sales/${sale.id}/receipt.escpos?lang=${lang}&width=${width}&copy=${copy}`}>
          {t('downloadEscPos')}
        </a>
      </div>
      <iframe ref={frame} title={t('receipt')} src={src} className="receipt-frame" />
    </section>
  );
}

/** The provisional slip just issued, as it prints: the customer takes it (its QR leads to their page). */
export function SlipPanel({ slip }: { slip: SlipView }) {
  const { t, lang } = useI18n();
  const [width, setWidth] = useState<58 | 80>(80);
  const frame = useRef<HTMLIFrameElement>(null);
  const base = `/api/slips/${encodeURIComponent(slip.number)}`;
  return (
    <section className="receipt-panel" aria-label={t('slipPanel')} data-testid="slip-panel">
      <div className="receipt-tools">
        <PaperWidth value={width} onChange={setWidth} />
        <button type="button" onClick={() => frame.current?.contentWindow?.print()}>
          {t('print')}
        </button>
        <a href={`${base}/slip.escpos?lang=${lang}&width=${width}`}>{t('downloadEscPos')}</a>
      </div>
      <iframe
        ref={frame}
        title={t('slipPanel')}
        src={`${base}/slip.html?lang=${lang}&width=${width}`}
        className="receipt-frame"
      />
    </section>
  );
}

/** 80 or 58 mm: the paper in the till's printer. */
function PaperWidth({ value, onChange }: { value: 58 | 80; onChange: (w: 58 | 80) => void }) {
  const { t } = useI18n();
  return (
    <label>
      {t('paperWidth')}{' '}
      <select
        value={value}
        onChange={(e) => onChange(Number(e.target.value) as 58 | 80)}
        aria-label={t('paperWidth')}
      >
        <option value={80}>80 mm</option>
        <option value={58}>58 mm</option>
      </select>
    </label>
  );
}
