/** 小单: the provisional slip, with the customer's name and phone and what happens to the goods. */
import { useState } from 'react';
import { normalizePhone } from '../../../../src/shared';
import { TextField } from '../../common/Fields';
import { useI18n } from '../../i18n';
import { Modal } from './Modal';

export function SlipDialog({
  busy,
  defaultReason,
  onIssue,
  onClose,
}: {
  busy: boolean;
  defaultReason: string;
  onIssue: (input: {
    reason: string;
    customerName: string;
    customerPhone: string;
    customerEmail: string | null;
    goods: 'taken' | 'held';
  }) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [reason, setReason] = useState(defaultReason);
  const [goods, setGoods] = useState<'taken' | 'held'>('held');
  const phoneOk = normalizePhone(phone) !== null;
  // Optional: the notifier e-mails the slip and reminders when the customer gives an address.
  const emailOk = email.trim() === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim());
  const valid = name.trim() !== '' && phoneOk && emailOk && reason.trim() !== '';
  return (
    <Modal title={t('slipTitle')} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && !busy)
            onIssue({
              reason: reason.trim(),
              customerName: name.trim(),
              customerPhone: phone,
              customerEmail: email.trim() || null,
              goods,
            });
        }}
      >
        <TextField
          className="field"
          autoFocus
          label={t('slipCustomerName')}
          value={name}
          onChange={setName}
          testId="slip-name"
        />
        <TextField
          className="field"
          label={t('slipCustomerPhone')}
          value={phone}
          onChange={setPhone}
          inputMode="numeric"
          testId="slip-phone"
        />
        {phone !== '' && !phoneOk && <p className="hint error">{t('phoneInvalid')}</p>}
        <TextField
          className="field"
          label={t('slipCustomerEmail')}
          value={email}
          onChange={setEmail}
          testId="slip-email"
        />
        {!emailOk && <p className="hint error">{t('emailInvalid')}</p>}
        <TextField
          className="field"
          label={t('slipReason')}
          value={reason}
          onChange={setReason}
          testId="slip-reason"
        />
        <fieldset className="approvers">
          <legend>{t('slipGoods')}</legend>
          {(['held', 'taken'] as const).map((g) => (
            <label key={g}>
              <input type="radio" name="goods" checked={goods === g} onChange={() => setGoods(g)} />{' '}
              {t(g === 'held' ? 'slipGoodsHeld' : 'slipGoodsTaken')}
            </label>
          ))}
        </fieldset>
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={!valid || busy}>
            {t('slipIssue')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
