import { useEffect, useState } from 'react';
import { get } from '../api/client';
import type { MovementView, VariantWithStock } from '../api/types';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan } from '../money';

/** On-hand per item in the selected store, and each item's ledger of movements. */
export function StockScreen({ storeId }: { storeId: string }) {
  const { t, lang } = useI18n();
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<VariantWithStock[]>([]);
  const [selected, setSelected] = useState<VariantWithStock | null>(null);
  const [movements, setMovements] = useState<MovementView[]>([]);

  useEffect(() => {
    const timer = setTimeout(() => {
      void get<{ variants: VariantWithStock[] }>(
        `/api/stores/${storeId}/variants?q=${encodeURIComponent(query)}&limit=100`,
      ).then((r) => setRows(r.variants));
    }, 150);
    return () => clearTimeout(timer);
  }, [storeId, query]);

  useEffect(() => {
    if (!selected) return;
    void get<{ movements: MovementView[] }>(`/api/stores/${storeId}/stock/${selected.id}/movements`).then(
      (r) => setMovements(r.movements),
    );
  }, [storeId, selected]);

  return (
    <div className="stock">
      <label className="field">
        {t('stockSearch')}
        <input
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label={t('stockSearch')}
          data-testid="stock-search"
        />
      </label>
      <table>
        <thead>
          <tr>
            <th>{t('sku')}</th>
            <th>{t('item')}</th>
            <th>{t('size')}</th>
            <th>{t('colour')}</th>
            <th className="num">{t('price')}</th>
            <th className="num">{t('stockTitle')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((v) => (
            <tr key={v.id} onClick={() => setSelected(v)} className={selected?.id === v.id ? 'selected' : ''}>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => setSelected(v)}
                  aria-label={t('movements', { sku: v.sku })}
                >
                  {v.sku}
                </button>
              </td>
              <td>{lang === 'zh-CN' ? v.nameZh : v.nameEn}</td>
              <td>{v.size}</td>
              <td>{lang === 'zh-CN' ? v.colourZh : v.colourEn}</td>
              <td className="num">{displayYuan(v.priceFen)}</td>
              <td className="num" data-testid={`stock-${v.barcode}`}>
                {v.onHand}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected && (
        <aside className="movements" aria-label={t('movements', { sku: selected.sku })}>
          <h2>{t('movements', { sku: selected.sku })}</h2>
          <button type="button" onClick={() => setSelected(null)}>
            {t('close')}
          </button>
          <table>
            <thead>
              <tr>
                <th>{t('time')}</th>
                <th>{t('kind')}</th>
                <th className="num">{t('change_')}</th>
                <th className="num">{t('after')}</th>
              </tr>
            </thead>
            <tbody>
              {movements.map((m) => (
                <tr key={m.id}>
                  <td>{new Date(m.at).toLocaleString(lang)}</td>
                  <td>{t(`movement_${m.kind}` as MessageKey)}</td>
                  <td className="num">{m.delta > 0 ? `+${m.delta}` : m.delta}</td>
                  <td className="num">{m.onHandAfter}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </aside>
      )}
    </div>
  );
}
