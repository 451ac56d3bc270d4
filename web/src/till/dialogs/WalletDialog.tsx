/** A wallet charge: the customer's payment code scanned or typed. */
import { useState } from 'react';
import { walletOfCode } from '../../../../src/shared';
import type { SaleView } from '../../api/types';
import { TextField } from '../../common/Fields';
import { useI18n } from '../../i18n';
import { displayYuan, parseYuan } from '../../money';
import { Modal } from './Modal';

export function WalletDialog({
  sale,
  busy,
  amountFen,
  onPay,
  onClose,
}: {
  sale: SaleView;
  busy: boolean;
  amountFen?: number;
  onPay: (fen: number, paymentCode: string) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(String(Math.min(amountFen ?? sale.dueFen, sale.dueFen) / 100));
  const [code, setCode] = useState('');
  const fen = parseYuan(text);
  const validAmount = fen !== null && fen > 0 && fen <= sale.dueFen;
  const wallet = walletOfCode(code.trim());
  return (
    <Modal title={t('walletDialogTitle')} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (validAmount && wallet && !busy) onPay(fen!, code.trim());
        }}
      >
        <div className="big-figure">
          <span>{t('amountDue')}</span>
          <strong>{displayYuan(sale.dueFen)}</strong>
        </div>
        <TextField
          className="field"
          label={t('walletAmount')}
          value={text}
          onChange={setText}
          inputMode="decimal"
        />
        {!validAmount && (
          <p className="hint error">{t('cardAmountInvalid', { amount: displayYuan(sale.dueFen) })}</p>
        )}
        <TextField
          className="field"
          autoFocus
          label={t('walletCode')}
          value={code}
          onChange={setCode}
          inputMode="numeric"
          testId="wallet-code"
        />
        <p className={`hint${code && !wallet ? ' error' : ''}`} data-testid="wallet-detected">
          {wallet ? t(`walletIs_${wallet}`) : code ? t('walletNotACode') : t('walletCodeHint')}
        </p>
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={!validAmount || !wallet || busy}>
            {t('chargeWallet')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** 取单: the store's parked sales; taking one up brings it to this till with its goods released. */
