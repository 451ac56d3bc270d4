import { type FormEvent, useEffect, useState } from 'react';
import type { ParkedSaleView } from '../../../src/api-shapes';
import { atLeast, normalizePhone, walletOfCode } from '../../../src/shared';
import { ApiError, get, send } from '../api/client';
import type { ApprovalView, Discount, GuardedAction, Role, SaleView, SignInStaff } from '../api/types';
import { Notice } from '../common/Notice';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan, parseYuan } from '../money';

function Modal({
  title,
  children,
  onClose,
}: {
  title: string;
  children: React.ReactNode;
  onClose: () => void;
}) {
  return (
    <div className="backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** A labelled text field that takes the focus when its dialog opens. */
function Field({
  label,
  value,
  onChange,
  decimal = false,
  numeric = false,
  autoFocus = true,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  decimal?: boolean;
  numeric?: boolean;
  autoFocus?: boolean;
  testId?: string;
}) {
  return (
    <label className="field">
      {label}
      <input
        autoFocus={autoFocus}
        inputMode={decimal ? 'decimal' : numeric ? 'numeric' : 'text'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-label={label}
        autoComplete="off"
        {...(testId ? { 'data-testid': testId } : {})}
      />
    </label>
  );
}

/** Round-up notes a customer typically hands over for an amount. */
function quickAmounts(dueFen: number): number[] {
  const notes = [1000, 5000, 10000];
  const out = new Set<number>();
  for (const n of notes) out.add(Math.ceil(dueFen / n) * n);
  return [...out].filter((a) => a > dueFen).slice(0, 3);
}

export function CashDialog({
  sale,
  busy,
  onPay,
  onClose,
}: {
  sale: SaleView;
  busy: boolean;
  /** `partFen`: cash for only that much of what is due, the first part of a split. */
  onPay: (fen: number, partFen?: number) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const tendered = text.trim() === '' ? null : parseYuan(text);
  const valid = tendered !== null && tendered >= 0;
  const short = valid && tendered! < sale.dueFen ? sale.dueFen - tendered! : 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid && short === 0 && !busy) onPay(tendered!);
  };
  return (
    <Modal title={t('cashDialogTitle')} onClose={onClose}>
      <form onSubmit={submit}>
        <div className="big-figure">
          <span>{t('amountDue')}</span>
          <strong data-testid="cash-due">{displayYuan(sale.dueFen)}</strong>
        </div>
        <Field label={t('tendered')} value={text} onChange={setText} decimal />
        <div className="quick">
          <button type="button" onClick={() => setText(String(sale.dueFen / 100))}>
            {t('exact')}
          </button>
          {quickAmounts(sale.dueFen).map((a) => (
            <button type="button" key={a} onClick={() => setText(String(a / 100))}>
              {displayYuan(a)}
            </button>
          ))}
        </div>
        <div className="big-figure change">
          <span>{t('change')}</span>
          <strong data-testid="cash-change">
            {valid && short === 0 ? displayYuan(tendered! - sale.dueFen) : '—'}
          </strong>
        </div>
        {text.trim() !== '' && !valid && <p className="hint error">{t('invalidAmount')}</p>}
        {short > 0 && <p className="hint error">{t('tenderedTooLittle', { amount: displayYuan(short) })}</p>}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          {/* Less than is due: this much in cash now, the rest by another tender (a split). */}
          {valid && short > 0 && tendered! > 0 && (
            <button
              type="button"
              data-testid="cash-part"
              disabled={busy}
              onClick={() => onPay(tendered!, tendered!)}
            >
              {t('cashPart', { amount: displayYuan(tendered!), rest: displayYuan(short) })}
            </button>
          )}
          <button type="submit" className="primary" disabled={!valid || short > 0 || busy}>
            {t('confirmPayment')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function DiscountDialog({
  current,
  onApply,
  onClose,
}: {
  current: Discount | null;
  onApply: (d: Discount | null) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'percent' | 'amount'>(current?.kind ?? 'percent');
  const [text, setText] = useState(
    current
      ? current.kind === 'percent'
        ? String(current.basisPoints / 100)
        : String(current.fen / 100)
      : '',
  );
  const fen = parseYuan(text);
  const valid = fen !== null && fen >= 0 && (kind === 'amount' || fen <= 10_000);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    // parseYuan gives hundredths: for a percent that is exactly basis points.
    onApply(kind === 'percent' ? { kind: 'percent', basisPoints: fen! } : { kind: 'amount', fen: fen! });
  };
  return (
    <Modal title={t('discountDialogTitle')} onClose={onClose}>
      <form onSubmit={submit}>
        <fieldset className="segmented">
          <legend>{t('discountKind')}</legend>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === 'percent'}
              onChange={() => setKind('percent')}
            />{' '}
            {t('percentOff')}
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === 'amount'} onChange={() => setKind('amount')} />{' '}
            {t('amountOff')}
          </label>
        </fieldset>
        <Field label={t('value')} value={text} onChange={setText} decimal />
        <div className="buttons">
          {current && (
            <button type="button" onClick={() => onApply(null)}>
              {t('clearDiscount')}
            </button>
          )}
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={!valid}>
            {t('apply')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

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
        <Field label={t('voidReason')} value={reason} onChange={setReason} />
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
export function ApprovalDialog({
  storeId,
  saleId,
  action,
  minRole,
  reason: initialReason,
  currentStaffCode,
  onGranted,
  onClose,
}: {
  storeId: string;
  saleId: string | null;
  action: GuardedAction;
  minRole: Role;
  reason: string;
  currentStaffCode: string | null;
  onGranted: (approvalId: string) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [approvers, setApprovers] = useState<SignInStaff[]>([]);
  const [chosen, setChosen] = useState<SignInStaff | null>(null);
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState(initialReason);
  const [error, setError] = useState<string | null>(null);
  const [waitingFor, setWaitingFor] = useState<string | null>(null);

  useEffect(() => {
    void get<{ staff: SignInStaff[] }>(`/api/stores/${storeId}/sign-in-staff`).then((r) =>
      setApprovers(r.staff.filter((s) => atLeast(s.role, minRole) && s.code !== currentStaffCode)),
    );
  }, [storeId, minRole, currentStaffCode]);

  // Waiting for the back office: look every two seconds.
  useEffect(() => {
    if (!waitingFor) return;
    const timer = setInterval(() => {
      void get<ApprovalView>(`/api/approvals/${waitingFor}`).then((a) => {
        if (a.status === 'granted') onGranted(a.id);
        else if (a.status !== 'pending') {
          setWaitingFor(null);
          setError(t(a.status === 'denied' ? 'approvalDenied' : 'approvalExpired'));
        }
      });
    }, 2000);
    return () => clearInterval(timer);
  }, [waitingFor, onGranted, t]);

  const ask = async (withPin: boolean) => {
    setError(null);
    try {
      const answer = await send<ApprovalView>('POST', '/api/approvals', {
        action,
        saleId,
        reason: reason.trim(),
        ...(withPin && chosen ? { approver: { staffCode: chosen.code, pin } } : {}),
      });
      if (answer.status === 'granted') onGranted(answer.id);
      else setWaitingFor(answer.id);
    } catch (err) {
      setPin('');
      setError(err instanceof ApiError ? err.problem.title : t('offline'));
    }
  };

  return (
    <Modal title={t('approvalTitle')} onClose={onClose}>
      <p>
        {t(`action_${action}` as MessageKey)} ·{' '}
        {t('approvalNeeds', { role: t(`role_${minRole}` as MessageKey) })}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen && pin.length >= 4 && reason.trim()) void ask(true);
        }}
      >
        <Field label={t('approvalReason')} value={reason} onChange={setReason} />
        <fieldset className="approvers">
          <legend>{t('approver')}</legend>
          {approvers.map((s) => (
            <button
              type="button"
              key={s.code}
              aria-pressed={chosen?.code === s.code}
              onClick={() => setChosen(s)}
            >
              {s.name} · {t(`role_${s.role}` as MessageKey)}
            </button>
          ))}
        </fieldset>
        {chosen && (
          <label className="field">
            {t('pinFor', { name: chosen.name })}
            <input
              type="password"
              inputMode="numeric"
              autoComplete="off"
              maxLength={6}
              value={pin}
              onChange={(e) => {
                setError(null);
                setPin(e.target.value.replace(/\D/g, '').slice(0, 6));
              }}
              aria-label={t('approverPin')}
              data-testid="approver-pin"
            />
          </label>
        )}
        <Notice tone="error" text={error} />
        <Notice tone="info" text={waitingFor ? t('approvalWaiting') : null} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button
            type="button"
            disabled={!reason.trim() || waitingFor !== null}
            onClick={() => void ask(false)}
          >
            {t('askBackOffice')}
          </button>
          <button type="submit" className="primary" disabled={!chosen || pin.length < 4 || !reason.trim()}>
            {t('approve')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** How much goes on the card: all that is due, or a part of it (the rest another way). */
export function CardDialog({
  sale,
  busy,
  onPay,
  onClose,
}: {
  sale: SaleView;
  busy: boolean;
  onPay: (fen: number) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(String(sale.dueFen / 100));
  const fen = parseYuan(text);
  const valid = fen !== null && fen > 0 && fen <= sale.dueFen;
  return (
    <Modal title={t('cardDialogTitle')} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && !busy) onPay(fen!);
        }}
      >
        <div className="big-figure">
          <span>{t('amountDue')}</span>
          <strong>{displayYuan(sale.dueFen)}</strong>
        </div>
        <Field label={t('cardAmount')} value={text} onChange={setText} decimal />
        {!valid && (
          <p className="hint error">{t('cardAmountInvalid', { amount: displayYuan(sale.dueFen) })}</p>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={!valid || busy}>
            {t('chargeCard')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * A QR wallet payment: the amount (all that is due, or a part for a split) and the customer's
 * payment code, which the scanner types into the focused field and ends with Enter. The wallet is
 * told from the code's digits as it is typed; the server decides again.
 */
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
        <Field label={t('walletAmount')} value={text} onChange={setText} decimal autoFocus={false} />
        {!validAmount && (
          <p className="hint error">{t('cardAmountInvalid', { amount: displayYuan(sale.dueFen) })}</p>
        )}
        <Field
          label={t('walletCode')}
          value={code}
          onChange={setCode}
          autoFocus
          numeric
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
        <Field label={t('slipCustomerName')} value={name} onChange={setName} testId="slip-name" />
        <Field
          label={t('slipCustomerPhone')}
          value={phone}
          onChange={setPhone}
          numeric
          autoFocus={false}
          testId="slip-phone"
        />
        {phone !== '' && !phoneOk && <p className="hint error">{t('phoneInvalid')}</p>}
        <Field
          label={t('slipCustomerEmail')}
          value={email}
          onChange={setEmail}
          autoFocus={false}
          testId="slip-email"
        />
        {!emailOk && <p className="hint error">{t('emailInvalid')}</p>}
        <Field
          label={t('slipReason')}
          value={reason}
          onChange={setReason}
          autoFocus={false}
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
