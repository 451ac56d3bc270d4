/** Cash: the amount tendered (quick notes for the usual ones), in full or as part of a split. */
import { type FormEvent, useState } from 'react';
import type { SaleView } from '../../api/types';
import { TextField } from '../../common/Fields';
import { useI18n } from '../../i18n';
import { displayYuan, parseYuan } from '../../money';
import { Modal } from './Modal';

/** Round-up notes a customer typically hands over for an amount. */
function quickAmounts(dueFen: number): number[] {
  const notes = [1000, 5000, 10000];
  const out = new Set<number>();
  for (const n of notes) out.add(Math.ceil(dueFen / n) * n);
  return [...out].filter((a) => a > dueFen).slice(0, 3);
}

export function CashDialog({
  sale,
  busy,
  onPay,
  onClose,
}: {
  sale: SaleView;
  busy: boolean;
  /** `partFen`: cash for only that much of what is due, the first part of a split. */
  onPay: (fen: number, partFen?: number) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const tendered = text.trim() === '' ? null : parseYuan(text);
  const valid = tendered !== null && tendered >= 0;
  const short = valid && tendered! < sale.dueFen ? sale.dueFen - tendered! : 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid && short === 0 && !busy) onPay(tendered!);
  };
  return (
    <Modal title={t('cashDialogTitle')} onClose={onClose}>
      <form onSubmit={submit}>
        <div className="big-figure">
          <span>{t('amountDue')}</span>
          <strong data-testid="cash-due">{displayYuan(sale.dueFen)}</strong>
        </div>
        <TextField
          className="field"
          autoFocus
          label={t('tendered')}
          value={text}
          onChange={setText}
          inputMode="decimal"
        />
        <div className="quick">
          <button type="button" onClick={() => setText(String(sale.dueFen / 100))}>
            {t('exact')}
          </button>
          {quickAmounts(sale.dueFen).map((a) => (
            <button type="button" key={a} onClick={() => setText(String(a / 100))}>
              {displayYuan(a)}
            </button>
          ))}
        </div>
        <div className="big-figure change">
          <span>{t('change')}</span>
          <strong data-testid="cash-change">
            {valid && short === 0 ? displayYuan(tendered! - sale.dueFen) : '—'}
          </strong>
        </div>
        {text.trim() !== '' && !valid && <p className="hint error">{t('invalidAmount')}</p>}
        {short > 0 && <p className="hint error">{t('tenderedTooLittle', { amount: displayYuan(short) })}</p>}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          {/* Less than is due: this much in cash now, the rest by another tender (a split). */}
          {valid && short > 0 && tendered! > 0 && (
            <button
              type="button"
              data-testid="cash-part"
              disabled={busy}
              onClick={() => onPay(tendered!, tendered!)}
            >
              {t('cashPart', { amount: displayYuan(tendered!), rest: displayYuan(short) })}
            </button>
          )}
          <button type="submit" className="primary" disabled={!valid || short > 0 || busy}>
            {t('confirmPayment')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
