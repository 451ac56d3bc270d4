import { useEffect, useMemo, useState } from 'react';
import { BackOfficeSignIn } from './access/BackOfficeSignIn';
import { TillSignIn } from './access/TillSignIn';
import { useSession } from './access/use-session';
import { get, setApiLanguage } from './api/client';
import type { StoreView } from './api/types';
import { StoreSelect } from './common/StoreSelect';
import { I18nContext, type Lang, translator } from './i18n';
import { JournalScreen } from './journal/JournalScreen';
import { BackOffice } from './office/BackOffice';
import { StockScreen } from './stock/StockScreen';
import { TillScreen } from './till/TillScreen';

const remembered = (key: string) => localStorage.getItem(`tillsafe.${key}`);
const remember = (key: string, value: string) => localStorage.setItem(`tillsafe.${key}`, value);

type Screen = 'till' | 'journal' | 'stock' | 'office';
const SCREENS: readonly Screen[] = ['till', 'journal', 'stock', 'office'];
const screenOf = (hash: string): Screen => SCREENS.find((s) => `#${s}` === hash) ?? 'till';

export function App() {
  const [lang, setLang] = useState<Lang>(remembered('lang') === 'en' ? 'en' : 'zh-CN');
  const [stores, setStores] = useState<StoreView[]>([]);
  const [storeId, setStoreId] = useState(remembered('store') ?? '');
  const [tillId, setTillId] = useState(remembered('till') ?? '');
  const [screen, setScreen] = useState<Screen>(screenOf(location.hash));
  const auth = useSession();
  const [switching, setSwitching] = useState(false);
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
  const go = (s: Screen) => {
    setScreen(s);
    location.hash = s === 'till' ? '' : `#${s}`;
  };
  const session = auth.session;
  // The till needs this till's own session; the back office a password session.
  const tillSession = session?.surface === 'till' && session.tillId === tillId ? session : null;
  const officeSession = session?.surface === 'backoffice' ? session : null;

  return (
    <I18nContext.Provider value={i18n}>
      <header className="top">
        <span className="brand">{t('appName')}</span>
        <nav>
          <button type="button" aria-current={screen === 'till'} onClick={() => go('till')}>
            {t('navTill')}
          </button>
          <button type="button" aria-current={screen === 'journal'} onClick={() => go('journal')}>
            {t('navJournal')}
          </button>
          <button type="button" aria-current={screen === 'stock'} onClick={() => go('stock')}>
            {t('navStock')}
          </button>
          <button type="button" aria-current={screen === 'office'} onClick={() => go('office')}>
            {t('navOffice')}
          </button>
        </nav>
        {session && (
          <span className="who" data-testid="signed-in-as">
            {session.name} · {t(`role_${session.role}`)}
            {session.surface === 'till' && (
              <button type="button" onClick={() => setSwitching(true)}>
                {t('switchCashier')}
              </button>
            )}
            <button type="button" onClick={() => void auth.signOut()}>
              {t('signOut')}
            </button>
          </span>
        )}
        {/* The device's store and till: the till's setting, not the back office's. */}
        {screen !== 'office' && (
          <>
            <StoreSelect
              stores={stores}
              value={storeId}
              label={t('store')}
              onChange={(id) => {
                setStoreId(id);
                setTillId(stores.find((s) => s.id === id)?.tills[0]?.id ?? '');
              }}
            />
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
          </>
        )}
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
        {!store || !tillId || session === undefined ? (
          <p>{t('loading')}</p>
        ) : screen === 'office' ? (
          officeSession ? (
            <BackOffice session={officeSession} stores={stores} />
          ) : (
            <BackOfficeSignIn reason={auth.lostReason} onSignedIn={(s) => auth.adopt(s)} />
          )
        ) : !tillSession || switching ? (
          <TillSignIn
            storeId={storeId}
            tillId={tillId}
            current={switching ? tillSession : null}
            reason={auth.lostReason}
            onSignedIn={(s) => {
              setSwitching(false);
              auth.adopt(s);
            }}
            {...(switching ? { onCancel: () => setSwitching(false) } : {})}
          />
        ) : screen === 'till' ? (
          <TillScreen key={`${storeId}/${tillId}/${tillSession.staffId}`} storeId={storeId} tillId={tillId} />
        ) : screen === 'journal' ? (
          <JournalScreen
            storeId={storeId}
            tillId={tillId}
            onOpenSale={(saleId) => {
              // The till takes up the sale it finds remembered for this till (as after a reload).
              remember(`sale.${tillId}`, saleId);
              go('till');
            }}
          />
        ) : (
          <StockScreen storeId={storeId} />
        )}
      </main>
    </I18nContext.Provider>
  );
}
