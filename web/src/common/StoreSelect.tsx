import type { StoreView } from '../api/types';
import { useI18n } from '../i18n';

/** Picks a store by its name in the screen's language. */
export function StoreSelect({
  stores,
  value,
  label,
  onChange,
}: {
  stores: StoreView[];
  value: string;
  label: string;
  onChange: (storeId: string) => void;
}) {
  const { t, lang } = useI18n();
  return (
    <label>
      {t('store')}{' '}
      <select value={value} aria-label={label} onChange={(e) => onChange(e.target.value)}>
        {stores.map((s) => (
          <option key={s.id} value={s.id}>
            {lang === 'zh-CN' ? s.nameZh : s.nameEn}
          </option>
        ))}
      </select>
    </label>
  );
}
