/** A card charge: the amount sent to the till's terminal. */
import { useState } from 'react';
import type { SaleView } from '../../api/types';
import { TextField } from '../../common/Fields';
import { useI18n } from '../../i18n';
import { displayYuan, parseYuan } from '../../money';
import { Modal } from './Modal';

export function CardDialog({
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
  const [text, setText] = useState(String(sale.dueFen / 100));
  const fen = parseYuan(text);
  const valid = fen !== null && fen > 0 && fen <= sale.dueFen;
  return (
    <Modal title={t('cardDialogTitle')} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && !busy) onPay(fen!);
        }}
      >
        <div className="big-figure">
          <span>{t('amountDue')}</span>
          <strong>{displayYuan(sale.dueFen)}</strong>
        </div>
        <TextField
          className="field"
          autoFocus
          label={t('cardAmount')}
          value={text}
          onChange={setText}
          inputMode="decimal"
        />
        {!valid && (
          <p className="hint error">{t('cardAmountInvalid', { amount: displayYuan(sale.dueFen) })}</p>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={!valid || busy}>
            {t('chargeCard')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * A QR wallet payment: the amount (all that is due, or a part for a split) and the customer's
 * payment code, which the scanner types into the focused field and ends with Enter. The wallet is
 * told from the code's digits as it is typed; the server decides again.
 */
