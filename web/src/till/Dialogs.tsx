import { type FormEvent, useState } from 'react';
import type { Discount, SaleView } from '../api/types';
import { useI18n } from '../i18n';
import { displayYuan, parseYuan } from '../money';

function Modal({
  title,
  children,
  onClose,
}: {
  title: string;
  children: React.ReactNode;
  onClose: () => void;
}) {
  return (
    <div className="backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** A labelled text field that takes the focus when its dialog opens. */
function Field({
  label,
  value,
  onChange,
  decimal = false,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  decimal?: boolean;
}) {
  return (
    <label className="field">
      {label}
      <input
        autoFocus
        inputMode={decimal ? 'decimal' : 'text'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-label={label}
      />
    </label>
  );
}

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
  onPay: (fen: number) => void;
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
        <Field label={t('tendered')} value={text} onChange={setText} decimal />
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
          <button type="submit" className="primary" disabled={!valid || short > 0 || busy}>
            {t('confirmPayment')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function DiscountDialog({
  current,
  onApply,
  onClose,
}: {
  current: Discount | null;
  onApply: (d: Discount | null) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'percent' | 'amount'>(current?.kind ?? 'percent');
  const [text, setText] = useState(
    current
      ? current.kind === 'percent'
        ? String(current.basisPoints / 100)
        : String(current.fen / 100)
      : '',
  );
  const fen = parseYuan(text);
  const valid = fen !== null && fen >= 0 && (kind === 'amount' || fen <= 10_000);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    // parseYuan gives hundredths: for a percent that is exactly basis points.
    onApply(kind === 'percent' ? { kind: 'percent', basisPoints: fen! } : { kind: 'amount', fen: fen! });
  };
  return (
    <Modal title={t('discountDialogTitle')} onClose={onClose}>
      <form onSubmit={submit}>
        <fieldset className="segmented">
          <legend>{t('discountKind')}</legend>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === 'percent'}
              onChange={() => setKind('percent')}
            />{' '}
            {t('percentOff')}
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === 'amount'} onChange={() => setKind('amount')} />{' '}
            {t('amountOff')}
          </label>
        </fieldset>
        <Field label={t('value')} value={text} onChange={setText} decimal />
        <div className="buttons">
          {current && (
            <button type="button" onClick={() => onApply(null)}>
              {t('clearDiscount')}
            </button>
          )}
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={!valid}>
            {t('apply')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function VoidDialog({ onVoid, onClose }: { onVoid: (reason: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState(t('defaultVoidReason'));
  return (
    <Modal title={t('voidSale')} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) onVoid(reason.trim());
        }}
      >
        <Field label={t('voidReason')} value={reason} onChange={setReason} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="danger">
            {t('voidConfirm')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
