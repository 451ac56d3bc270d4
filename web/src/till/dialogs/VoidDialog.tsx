/** Voiding the sale, with its reason. */
import { useState } from 'react';
import { TextField } from '../../common/Fields';
import { useI18n } from '../../i18n';
import { Modal } from './Modal';

export function VoidDialog({
  onVoid,
  onClose,
  afterPayment = false,
}: {
  onVoid: (reason: string) => void;
  onClose: () => void;
  /** The money is returned and the goods go back into stock; a manager must approve. */
  afterPayment?: boolean;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState(t('defaultVoidReason'));
  return (
    <Modal title={afterPayment ? t('voidAfterPayment') : t('voidSale')} onClose={onClose}>
      {afterPayment && <p>{t('voidAfterPaymentHint')}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) onVoid(reason.trim());
        }}
      >
        <TextField className="field" autoFocus label={t('voidReason')} value={reason} onChange={setReason} />
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

/**
 * A change needs a supervisor's or manager's approval: they pick their name and type their PIN
 * here, at the till — or the cashier asks the back office and waits. Either way the grant comes
 * back to the till, which sends the change again with it.
 */
