/** A discount on a line or on the whole sale, by percentage or amount. */
import { type FormEvent, useState } from 'react';
import type { Discount } from '../../api/types';
import { TextField } from '../../common/Fields';
import { useI18n } from '../../i18n';
import { parseYuan } from '../../money';
import { Modal } from './Modal';

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
        <TextField
          className="field"
          autoFocus
          label={t('value')}
          value={text}
          onChange={setText}
          inputMode="decimal"
        />
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
