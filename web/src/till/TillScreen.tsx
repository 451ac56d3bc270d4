import { type FormEvent, Fragment, useEffect, useRef, useState } from 'react';
import { get, newKey } from '../api/client';
import type { SaleLineView, SaleView, VariantWithStock } from '../api/types';
import { useFollow } from '../common/use-follow';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan } from '../money';
import { AttemptPanel } from './AttemptPanel';
import { actionForKey, OPEN, readScan, TILL_ACTIONS } from './actions';
import { TillDialog } from './dialogs';
import { ReceiptPanel, SlipPanel } from './ReceiptPanel';
import { useTill } from './use-till';

export function TillScreen({ storeId, tillId }: { storeId: string; tillId: string }) {
  const { t, lang } = useI18n();
  const till = useTill(storeId, tillId, t);
  const { sale, busy, message, dialog, attempt } = till.state;

  // Follow the attempt while the server says it may still change (the bank answering, a manager
  // reviewing it), at the pace the server gives.
  useFollow(
    attempt?.checkAgainInMs ?? null,
    () => till.refreshAttempt(),
    `${attempt?.id}:${attempt?.status}`,
  );
  // The attempt's words come in the language asked for: after a switch, ask again in the new one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of language asks again
  useEffect(() => {
    if (attempt) void till.reloadAttempt().catch(() => undefined);
  }, [lang]);
  // An attempt belongs to its sale: once that sale is finished (paid another way, voided) or
  // another is on screen, its panel goes — except the "paid" of the attempt that finished it.
  const attemptOnScreen =
    attempt !== null &&
    sale !== null &&
    attempt.saleId === sale.id &&
    (attempt.status === 'succeeded' || (sale.status !== 'completed' && sale.status !== 'voided'));
  // What the server tells this till about its own charges after it moved on (a late payment on
  // the review desk, a slip settled by itself): asked every few seconds, in the language shown.
  const [notices, setNotices] = useState<{ attemptId: string; kind: string; text: string }[]>([]);
  const [noticesEvery, setNoticesEvery] = useState<number | null>(null);
  const askNotices = () =>
    get<{ notices: { attemptId: string; kind: string; text: string }[]; checkAgainInMs: number | null }>(
      `/api/tills/${tillId}/notices`,
    ).then((r) => {
      setNotices(r.notices);
      setNoticesEvery(r.checkAgainInMs);
    });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the API client sends the language; a switch asks again at once
  useEffect(() => {
    void askNotices().catch(() => undefined);
  }, [tillId, lang]);
  useFollow(noticesEvery, askNotices, `${tillId}:${lang}`);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<VariantWithStock[] | null>(null);
  const scanInput = useRef<HTMLInputElement>(null);

  // The scan field keeps the focus whenever no dialog is open, so a scanner always lands there.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run after every sale change, not only on dialog/busy
  useEffect(() => {
    if (!dialog && !busy) scanInput.current?.focus();
  }, [dialog, busy, sale]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = actionForKey(e.key, till.state);
      if (action) {
        e.preventDefault();
        action.perform(till);
      } else if (e.key === 'Escape' && !dialog) {
        setQuery('');
        setResults(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const search = async (text: string) => {
    const found = await get<{ variants: VariantWithStock[] }>(
      `/api/stores/${storeId}/variants?q=${encodeURIComponent(text)}&limit=20`,
    );
    setResults(found.variants);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = query.trim();
    if (!text) return;
    const scanned = readScan(text, till.state);
    if (scanned.kind === 'search') return search(scanned.text);
    setQuery('');
    if (scanned.kind === 'slip') await till.takeUpSlip(scanned.number);
    else if (scanned.kind === 'wallet') await till.payWallet(scanned.amountFen, scanned.code, newKey());
    else if (await till.scan(scanned.barcode)) setResults(null);
  };

  const name = (l: { nameZh: string; nameEn: string }) => (lang === 'zh-CN' ? l.nameZh : l.nameEn);
  const colour = (l: { colourZh: string; colourEn: string }) => (lang === 'zh-CN' ? l.colourZh : l.colourEn);
  const editable = sale?.allowed.includes('edit') === true && !busy;

  return (
    <div className="till" data-busy={busy ? 'true' : 'false'}>
      <section className="left">
        <form onSubmit={(e) => void submit(e)} className="scan">
          <label htmlFor="scan">{t('scanLabel')}</label>
          <input
            id="scan"
            ref={scanInput}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder={t('scanPlaceholder')}
            autoComplete="off"
            data-testid="scan-input"
          />
        </form>
        {notices.map((n) => (
          <div
            key={`${n.kind}-${n.attemptId}`}
            className="message info"
            role="status"
            data-testid="till-notice"
          >
            {n.text}
          </div>
        ))}
        {message && (
          <div className={`message ${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'}>
            <strong>{message.title}</strong>
            {message.detail && <span> {message.detail}</span>}
          </div>
        )}
        {results && (
          <section aria-label={t('searchResults')} className="results">
            <h2>{t('searchResults')}</h2>
            {results.length === 0 && <p>{t('noResults')}</p>}
            <ul>
              {results.map((v) => (
                <li key={v.id}>
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={t('addItem', { name: name(v), size: v.size, colour: colour(v) })}
                    onClick={() => void till.addVariant(v.id)}
                  >
                    <span className="r-name">{name(v)}</span>
                    <span className="r-detail">
                      {v.sku} · {v.size} · {colour(v)} · {t('onHand', { n: v.onHand })}
                    </span>
                    <span className="r-price">{displayYuan(v.priceFen)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        {sale && sale.status === 'completed' && <ReceiptPanel key={sale.id} sale={sale} tillId={tillId} />}
        {till.state.slip && <SlipPanel key={till.state.slip.id} slip={till.state.slip} />}
        <p className="key-help">{t('keyHelp')}</p>
      </section>

      <section className="right" aria-label={t('cart')}>
        <header className="sale-head">
          <h2>{sale ? t('saleNo', { number: sale.number }) : t('cart')}</h2>
          {sale?.status === 'completed' && <span className="badge ok">{t('statusCompleted')}</span>}
          {sale?.status === 'voided' && <span className="badge void">{t('statusVoided')}</span>}
          {sale?.status === 'on_account' && <span className="badge">{t('statusOnAccount')}</span>}
        </header>
        {!sale || sale.lines.length === 0 ? (
          <p className="empty">{t('emptyCart')}</p>
        ) : (
          <ul className="cart" data-testid="cart">
            {sale.lines.map((line) => (
              <CartLine
                key={line.id}
                line={line}
                editable={editable}
                name={name(line)}
                colour={colour(line)}
                till={till}
              />
            ))}
          </ul>
        )}
        {sale && <Totals sale={sale} />}
        {attempt && attemptOnScreen && <AttemptPanel attempt={attempt} till={till} />}
        {sale?.status === 'completed' && (
          <p className="paid-note" role="status" data-testid="paid-note">
            {t('paid', { change: displayYuan(sale.changeFen) })}
          </p>
        )}
        <div className="actions">
          {TILL_ACTIONS.map((a) => (
            <button
              type="button"
              key={a.name}
              className={a.name === 'payCash' ? 'primary big' : a.name === 'voidSale' ? 'danger' : ''}
              disabled={!a.available(till.state)}
              onClick={() => a.perform(till)}
              aria-keyshortcuts={a.keys.join(' ')}
            >
              {t(a.label)} <kbd>{a.keys[0]}</kbd>
            </button>
          ))}
        </div>
      </section>

      {dialog && <TillDialog dialog={dialog} till={till} storeId={storeId} />}
    </div>
  );
}

function CartLine({
  line,
  editable,
  name,
  colour,
  till,
}: {
  line: SaleLineView;
  editable: boolean;
  name: string;
  colour: string;
  till: ReturnType<typeof useTill>;
}) {
  const { t } = useI18n();
  return (
    <li className="line" data-testid="cart-line">
      <div className="l-main">
        <span className="l-name">{name}</span>
        <span className="l-detail">
          {line.sku} · {line.size} · {colour} ·{' '}
          <span data-testid="on-hand">{t('onHand', { n: line.onHand })}</span>
        </span>
      </div>
      <div className="l-qty">
        <button
          type="button"
          disabled={!editable || line.qty <= 1}
          aria-label={t('decreaseQty', { name })}
          onClick={() => void till.setQty(line.id, line.qty - 1)}
        >
          −
        </button>
        <span className="qty-value">{line.qty}</span>
        <button
          type="button"
          disabled={!editable}
          aria-label={t('increaseQty', { name })}
          onClick={() => void till.setQty(line.id, line.qty + 1)}
        >
          +
        </button>
      </div>
      <div className="l-amount">
        <span>{displayYuan(line.totalFen)}</span>
        {line.lineDiscountFen + line.saleDiscountShareFen > 0 && <s>{displayYuan(line.grossFen)}</s>}
      </div>
      <div className="l-tools">
        <button
          type="button"
          disabled={!editable}
          aria-label={t('lineDiscount', { name })}
          onClick={() => OPEN.discount(till, line.id)}
        >
          %
        </button>
        <button
          type="button"
          disabled={!editable}
          aria-label={t('removeLine', { name })}
          onClick={() => void till.removeLine(line.id)}
        >
          ×
        </button>
      </div>
    </li>
  );
}

function Totals({ sale }: { sale: SaleView }) {
  const { t } = useI18n();
  return (
    <dl className="totals">
      <dt>{t('subtotal')}</dt>
      <dd>{displayYuan(sale.subtotalFen)}</dd>
      {sale.lineDiscountFen > 0 && (
        <>
          <dt>{t('itemDiscounts')}</dt>
          <dd>{displayYuan(-sale.lineDiscountFen)}</dd>
        </>
      )}
      {sale.saleDiscountFen > 0 && (
        <>
          <dt>{t('saleDiscount')}</dt>
          <dd>{displayYuan(-sale.saleDiscountFen)}</dd>
        </>
      )}
      <dt className="grand">{sale.status === 'open' ? t('due') : t('total')}</dt>
      <dd className="grand" data-testid="sale-total">
        {displayYuan(sale.status === 'open' ? sale.dueFen : sale.totalFen)}
      </dd>
      {/* Money in and back out, as the server recorded it: a split's parts, refunds (a void's only
          what earlier refunds left). */}
      {sale.payments.map((p) => (
        <Fragment key={p.id}>
          <dt className="payment" data-testid="payment-row">
            {t(`tender_${p.tender}` as MessageKey)}
            {p.amountFen < 0 ? ` · ${t('refunded')}` : ''}
          </dt>
          <dd className="payment">{displayYuan(p.amountFen)}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
