/** 挂单 in the back office: the store's parked sales, who set each aside where, and until when its goods are held. */
import type { ParkedSaleView } from '../../../src/api-shapes';
import { Notice } from '../common/Notice';
import { useI18n } from '../i18n';
import { displayYuan } from '../money';
import { useLoad } from './use-load';

export function ParkedScreen({ storeId }: { storeId: string }) {
  const { t } = useI18n();
  const list = useLoad<{ parked: ParkedSaleView[] }>(`/api/stores/${storeId}/parked-sales`);
  return (
    <section className="parked" aria-label={t('tab_parked')}>
      <p className="hint">{t('parkedHint')}</p>
      <button type="button" onClick={list.reload}>
        {t('refresh')}
      </button>
      <Notice tone="error" text={list.error} />
      {list.data?.parked.length === 0 && <p>{t('noParked')}</p>}
      <table className="grid" data-testid="parked-sales">
        <tbody>
          {list.data?.parked.map((p) => (
            <tr key={p.saleId}>
              <td>
                <strong>{p.number}</strong>
              </td>
              <td className="amount">{displayYuan(p.totalFen)}</td>
              <td>{t('parkedItems', { n: p.lineCount })}</td>
              <td>
                {t('parkedBy', {
                  name: p.parkedBy.name,
                  time: new Date(p.parkedAt).toLocaleString(),
                  until: new Date(p.expiresAt).toLocaleString(),
                })}
              </td>
              <td>{p.parkedTillId}</td>
              <td className="detail">{p.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
