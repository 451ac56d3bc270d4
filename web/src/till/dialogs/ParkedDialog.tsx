/** 挂单: the store's parked sales, to take one up at this till. */
import { useEffect, useState } from 'react';
import type { ParkedSaleView } from '../../../../src/api-shapes';
import { ApiError, get } from '../../api/client';
import { Notice } from '../../common/Notice';
import { useI18n } from '../../i18n';
import { displayYuan } from '../../money';
import { Modal } from './Modal';

export function ParkedDialog({
  storeId,
  busy,
  onResume,
  onClose,
}: {
  storeId: string;
  busy: boolean;
  onResume: (saleId: string) => void;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const [list, setList] = useState<ParkedSaleView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<{ parked: ParkedSaleView[] }>(`/api/stores/${storeId}/parked-sales`)
      .then((r) => setList(r.parked))
      .catch((e: unknown) => setError(e instanceof ApiError ? e.problem.title : String(e)));
  }, [storeId]);
  // The store's own clock (the demo stores are in China), whatever the till's browser thinks.
  const time = (iso: string) =>
    new Date(iso).toLocaleTimeString(lang, {
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
      timeZone: 'Asia/Shanghai',
    });
  return (
    <Modal title={t('parkedTitle')} onClose={onClose}>
      <Notice tone="error" text={error} />
      {list?.length === 0 && <p>{t('noParked')}</p>}
      <ul className="parked-list" data-testid="parked-list">
        {list?.map((p) => (
          <li key={p.saleId}>
            <div>
              <strong>{p.number}</strong> · {displayYuan(p.totalFen)} · {t('parkedItems', { n: p.lineCount })}
              <br />
              <small>
                {t('parkedBy', { name: p.parkedBy.name, time: time(p.parkedAt), until: time(p.expiresAt) })}
                {p.note ? ` · ${p.note}` : ''}
              </small>
            </div>
            <button type="button" className="primary" disabled={busy} onClick={() => onResume(p.saleId)}>
              {t('resumeSale')}
            </button>
          </li>
        ))}
      </ul>
      <div className="buttons">
        <button type="button" onClick={onClose}>
          {t('cancel')}
        </button>
      </div>
    </Modal>
  );
}

/** 小单: who the customer is, how to reach them, why, and where the goods go. */
