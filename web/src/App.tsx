import { useEffect, useMemo, useState } from 'react';
import { get, setApiLanguage } from './api/client';
import type { StoreView } from './api/types';
import { I18nContext, type Lang, translator } from './i18n';
import { StockScreen } from './stock/StockScreen';
import { TillScreen } from './till/TillScreen';

const remembered = (key: string) => localStorage.getItem(`tillsafe.${key}`);
const remember = (key: string, value: string) => localStorage.setItem(`tillsafe.${key}`, value);

export function App() {
  const [lang, setLang] = useState<Lang>(remembered('lang') === 'en' ? 'en' : 'zh-CN');
  const [stores, setStores] = useState<StoreView[]>([]);
  const [storeId, setStoreId] = useState(remembered('store') ?? '');
  const [tillId, setTillId] = useState(remembered('till') ?? '');
  const [screen, setScreen] = useState<'till' | 'stock'>(location.hash === '#stock' ? 'stock' : 'till');
  const i18n = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  const { t } = i18n;

  setApiLanguage(lang);
  useEffect(() => {
    document.documentElement.lang = lang;
    remember('lang', lang);
  }, [lang]);

  // Stores are loaded once; the remembered store and till are only read here, not followed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once on start
  useEffect(() => {
    void get<{ stores: StoreView[] }>('/api/stores').then(({ stores }) => {
      setStores(stores);
      const store = stores.find((s) => s.id === storeId) ?? stores[0];
      if (!store) return;
      setStoreId(store.id);
      if (!store.tills.some((x) => x.id === tillId)) setTillId(store.tills[0]?.id ?? '');
    });
  }, []);

  useEffect(() => {
    if (storeId) remember('store', storeId);
    if (tillId) remember('till', tillId);
  }, [storeId, tillId]);

  const store = stores.find((s) => s.id === storeId);
  const go = (s: 'till' | 'stock') => {
    setScreen(s);
    location.hash = s === 'stock' ? '#stock' : '';
  };

  return (
    <I18nContext.Provider value={i18n}>
      <header className="top">
        <span className="brand">{t('appName')}</span>
        <nav>
          <button type="button" aria-current={screen === 'till'} onClick={() => go('till')}>
            {t('navTill')}
          </button>
          <button type="button" aria-current={screen === 'stock'} onClick={() => go('stock')}>
            {t('navStock')}
          </button>
        </nav>
        <label>
          {t('store')}{' '}
          <select
            value={storeId}
            aria-label={t('store')}
            onChange={(e) => {
              const next = stores.find((s) => s.id === e.target.value);
              setStoreId(e.target.value);
              setTillId(next?.tills[0]?.id ?? '');
            }}
          >
            {stores.map((s) => (
              <option key={s.id} value={s.id}>
                {lang === 'zh-CN' ? s.nameZh : s.nameEn}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('till')}{' '}
          <select value={tillId} aria-label={t('till')} onChange={(e) => setTillId(e.target.value)}>
            {store?.tills.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="lang"
          onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
          aria-label={t('language')}
        >
          {t('switchLanguage')}
        </button>
      </header>
      <main>
        {!store || !tillId ? (
          <p>{t('loading')}</p>
        ) : screen === 'till' ? (
          <TillScreen key={`${storeId}/${tillId}`} storeId={storeId} tillId={tillId} />
        ) : (
          <StockScreen storeId={storeId} />
        )}
      </main>
    </I18nContext.Provider>
  );
}
