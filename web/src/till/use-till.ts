/** The till's state and the operations on it; screens and actions only call these. */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { SlipView } from '../../../src/api-shapes';
import { ApiError, get, mutate, OfflineError, replayOutbox, send } from '../api/client';
import type { AttemptView, Discount, GuardedAction, Role, SaleView } from '../api/types';
import { type Dialog, INITIAL_TILL, type SaleChange, tillReducer } from './till-state';

export type { Dialog, Message, TillState } from './till-state';

import type { MessageKey, Translate } from '../i18n';

/** The server's `till_held` refusal: the sale this till waits for, and what it may do meanwhile. */
interface HeldProblem {
  title: string;
  heldBy: { saleId: string; saleNumber: string; attemptId: string };
  allowed: ('wait' | 'release' | 'slip')[];
}

const saleKey = (tillId: string) => `tillsafe.sale.${tillId}`;

function isSale(value: unknown): value is SaleView {
  return (
    typeof value === 'object' && value !== null && 'number' in value && 'lines' in value && 'status' in value
  );
}

export function useTill(storeId: string, tillId: string, t: Translate) {
  const [state, dispatch] = useReducer(tillReducer, INITIAL_TILL);
  const busyRef = useRef(false);

  const showSale = useCallback(
    (sale: SaleView) => {
      localStorage.setItem(saleKey(tillId), sale.id);
      // A slip shown from the last customer gives way to the next sale.
      dispatch({ type: 'sale_shown', sale });
    },
    [tillId],
  );

  // The start-up replay runs once per till, not again when the language changes: it reads the
  // current translator through a ref.
  const tRef = useRef(t);
  tRef.current = t;

  /**
   * The server's verdict that this till waits for a payment of another sale (`till_held`): that
   * sale and its attempt come back on screen, with the refusal's words and what may be done
   * meanwhile (wait, a manager's release, a slip) — the customer is not charged again.
   */
  const showHeld = useCallback(
    async (held: HeldProblem) => {
      const [sale, attempt] = await Promise.all([
        get<SaleView>(`/api/sales/${held.heldBy.saleId}`),
        get<AttemptView>(`/api/attempts/${held.heldBy.attemptId}`),
      ]);
      localStorage.setItem(saleKey(tillId), sale.id);
      const allowed = held.allowed.map((a) => tRef.current(`held_${a}` as MessageKey)).join(' · ');
      dispatch({
        type: 'held',
        sale,
        attempt,
        message: {
          tone: 'error',
          title: held.title,
          detail: `${tRef.current('saleNo', { number: held.heldBy.saleNumber })} · ${tRef.current('heldMay')} ${allowed}`,
        },
      });
    },
    [tillId],
  );

  /** Runs one request at a time; a second click while one is under way does nothing. */
  const run = useCallback(
    async <T>(work: () => Promise<T>): Promise<T | undefined> => {
      if (busyRef.current) return undefined;
      busyRef.current = true;
      dispatch({ type: 'work_started' });
      try {
        return await work();
      } catch (error) {
        if (error instanceof ApiError && error.problem.code === 'till_held') {
          await showHeld(error.problem as unknown as HeldProblem).catch(() => undefined);
          return undefined;
        }
        const message =
          error instanceof ApiError
            ? { tone: 'error' as const, title: error.problem.title, detail: error.problem.detail }
            : { tone: 'error' as const, title: error instanceof OfflineError ? t('offline') : String(error) };
        dispatch({ type: 'told', message });
        return undefined;
      } finally {
        busyRef.current = false;
        dispatch({ type: 'work_ended' });
      }
    },
    [t, showHeld],
  );

  // On start: finish what a reload interrupted, then show this till's current sale.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const answers = await replayOutbox(tillId);
      const lastSale = answers.filter(isSale).at(-1);
      const id = lastSale?.id ?? localStorage.getItem(saleKey(tillId));
      if (!id || cancelled) {
        dispatch({ type: 'sale_gone' });
        return;
      }
      try {
        const sale = await get<SaleView>(`/api/sales/${id}`);
        if (cancelled) return;
        if (sale.storeId !== storeId) {
          dispatch({ type: 'sale_gone' });
          return;
        }
        // A card payment under way before the reload: follow it again.
        const attempt =
          sale.status === 'awaiting_payment'
            ? ((await get<{ attempts: AttemptView[] }>(`/api/sales/${sale.id}/attempts`)).attempts.at(-1) ??
              null)
            : null;
        if (cancelled) return;
        dispatch({
          type: 'restored',
          sale,
          attempt,
          message:
            answers.length > 0
              ? { tone: 'info', title: tRef.current('pendingReplayed', { n: answers.length }) }
              : null,
        });
      } catch {
        if (!cancelled) dispatch({ type: 'sale_gone' });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [storeId, tillId]);

  const openSaleIfNeeded = useCallback(async (): Promise<SaleView> => {
    if (state.sale && state.sale.status === 'open') return state.sale;
    const sale = await mutate<SaleView>('POST', `/api/stores/${storeId}/sales`, { tillId }, tillId);
    showSale(sale);
    return sale;
  }, [state.sale, storeId, tillId, showSale]);

  const change = useCallback(
    (c: SaleChange, key?: string) =>
      run(async () => {
        const sale = c.current && state.sale ? state.sale : await openSaleIfNeeded();
        try {
          const updated = await mutate<SaleView>(
            c.method,
            `/api/sales/${sale.id}${c.suffix}`,
            c.body,
            tillId,
            key,
          );
          showSale(updated);
          return updated;
        } catch (error) {
          // A supervisor or manager must approve: ask, then send the same change with the grant.
          if (error instanceof ApiError && error.problem.code === 'approval_required') {
            const p = error.problem as unknown as { action: GuardedAction; minRole: Role };
            const reason = typeof c.body?.reason === 'string' ? c.body.reason : '';
            dispatch({
              type: 'dialog_opened',
              dialog: { kind: 'approval', action: p.action, minRole: p.minRole, reason, retry: c },
            });
            return undefined;
          }
          throw error;
        }
      }),
    [run, openSaleIfNeeded, tillId, showSale, state.sale],
  );
  /** Starts a card or wallet attempt; the sale then waits for it (no edits, no other tender). */
  const charge = (suffix: string, body: Record<string, unknown>, payKey: string) =>
    run(async () => {
      const sale = state.sale;
      if (!sale) return undefined;
      const attempt = await mutate<AttemptView>(
        'POST',
        `/api/sales/${sale.id}${suffix}`,
        body,
        tillId,
        payKey,
      );
      const waiting = await get<SaleView>(`/api/sales/${sale.id}`);
      dispatch({ type: 'charge_started', attempt, sale: waiting });
      return attempt;
    });
  const onSale = (
    method: SaleChange['method'],
    suffix: string,
    body: Record<string, unknown> | undefined,
    key?: string,
  ) => change({ method, suffix, body }, key);

  return {
    state,
    /** Opens a dialog; only the actions registry (actions.ts) calls it, so every way in is listed there. */
    openDialog: (dialog: Dialog, options: { dismissAttempt?: boolean } = {}) =>
      dispatch({ type: 'dialog_opened', dialog, ...options }),
    closeDialog: () => dispatch({ type: 'dialog_closed' }),
    scan: (barcode: string) => onSale('POST', '/lines', { barcode, qty: 1 }),
    addVariant: (variantId: string) => onSale('POST', '/lines', { variantId, qty: 1 }),
    setQty: (lineId: string, qty: number) => onSale('PATCH', `/lines/${lineId}`, { qty }),
    removeLine: (lineId: string) => onSale('DELETE', `/lines/${lineId}`, undefined),
    setDiscount: (lineId: string | null, discount: Discount | null) =>
      lineId ? onSale('PATCH', `/lines/${lineId}`, { discount }) : onSale('PUT', '/discount', { discount }),
    voidSale: (reason: string) =>
      change({ method: 'POST', suffix: '/void', body: { reason }, current: true }),
    /** Sends the change that waited for approval again, now with the grant. */
    retryApproved: async (approvalId: string) => {
      const dialog = state.dialog;
      if (dialog?.kind !== 'approval') return undefined;
      dispatch({ type: 'dialog_closed' });
      return change({ ...dialog.retry, body: { ...dialog.retry.body, approvalId } });
    },
    /** The key was made when the dialog opened: a double click or a retry sends the same payment. */
    payCash: (tenderedFen: number, payKey: string, partFen?: number) =>
      // A sale on account (a slip taken up) is paid as it is; anything else opens a sale if none is.
      change(
        {
          method: 'POST',
          suffix: '/payments/cash',
          body: { tenderedFen, ...(partFen !== undefined ? { amountFen: partFen } : {}) },
          current: state.sale?.status === 'on_account',
        },
        payKey,
      ),
    /** Starts a card attempt for `amountFen` (the due amount, or part of it for a split). */
    payCard: (amountFen: number, payKey: string) => charge('/payments/card', { amountFen }, payKey),
    /** Charges a QR wallet by the customer's payment code (the server tells Alipay from WeChat Pay). */
    payWallet: (amountFen: number, paymentCode: string, payKey: string) =>
      charge('/payments/wallet', { amountFen, paymentCode }, payKey),
    /** Follows the attempt on screen; when it ends, shows the sale as it now stands. */
    refreshAttempt: async () => {
      const attempt = state.attempt;
      if (!attempt) return;
      const next = await get<AttemptView>(`/api/attempts/${attempt.id}`);
      const same =
        next.status === attempt.status &&
        next.history.length === attempt.history.length &&
        next.actions.join() === attempt.actions.join() &&
        next.noSecondCharge === attempt.noSecondCharge;
      if (same) return;
      // No longer at the provider (paid, failed, reversed, on the review desk): the sale moved too.
      const sale = next.beingChecked ? null : await get<SaleView>(`/api/sales/${next.saleId}`);
      dispatch({ type: 'attempt_seen', attempt: next, sale });
    },
    /** The attempt on screen asked for again as it is (its words in the language now chosen). */
    reloadAttempt: async () => {
      const attempt = state.attempt;
      if (!attempt) return;
      dispatch({
        type: 'attempt_seen',
        attempt: await get<AttemptView>(`/api/attempts/${attempt.id}`),
        sale: null,
      });
    },
    /** Asks to take another tender while the card attempt is unknown; the server asks for a manager. */
    releaseCharge: () => change({ method: 'POST', suffix: '/release', body: {}, current: true }),
    cancelCard: () =>
      run(async () => {
        if (state.attempt) await send('POST', `/api/attempts/${state.attempt.id}/cancel`);
      }),
    dismissAttempt: () => dispatch({ type: 'attempt_dismissed' }),
    /** F9: asks the server first — a till waiting for the bank on a sale starts no other. */
    newSale: () =>
      run(async () => {
        const { held } = await get<{ held: HeldProblem | null }>(`/api/tills/${tillId}/hold`);
        if (held) return void (await showHeld(held));
        localStorage.removeItem(saleKey(tillId));
        dispatch({ type: 'new_sale' });
      }),
    /** 小单: the sale goes on account; the slip is shown for printing and the till is free. */
    issueSlip: (
      input: {
        reason: string;
        customerName: string;
        customerPhone: string;
        customerEmail: string | null;
        goods: 'taken' | 'held';
      },
      key: string,
    ) =>
      run(async () => {
        const sale = state.sale;
        if (!sale) return undefined;
        const slip = await mutate<SlipView>('POST', `/api/sales/${sale.id}/slip`, input, tillId, key);
        localStorage.removeItem(saleKey(tillId));
        dispatch({
          type: 'sale_set_aside',
          slip,
          message: { tone: 'info', title: tRef.current('slipIssued', { number: slip.number }) },
        });
        return slip;
      }),
    /** A slip brought back to the till: its sale, on account, is ready to be paid here. */
    takeUpSlip: (number: string) =>
      run(async () => {
        const slip = await get<SlipView>(`/api/slips/${encodeURIComponent(number)}`);
        if (slip.status !== 'issued') {
          dispatch({
            type: 'told',
            message: { tone: 'error', title: tRef.current('slipNotOpen', { number: slip.number }) },
          });
          return undefined;
        }
        // The customer showed proof it was paid: no tender here until the statement decides.
        if (slip.caseStatus === 'awaiting_statement') {
          dispatch({
            type: 'told',
            message: { tone: 'error', title: tRef.current('slipAwaitingStatement', { number: slip.number }) },
          });
          return undefined;
        }
        showSale(slip.sale);
        dispatch({
          type: 'taken_up',
          message: { tone: 'info', title: tRef.current('slipTakenUp', { number: slip.number }) },
        });
        return slip;
      }),
    /** 挂单: the sale is set aside (its goods reserved) and the till is free for the next customer. */
    parkSale: () =>
      run(async () => {
        const sale = state.sale;
        if (!sale) return undefined;
        const parked = await mutate<SaleView>('POST', `/api/sales/${sale.id}/park`, {}, tillId);
        localStorage.removeItem(saleKey(tillId));
        dispatch({
          type: 'sale_set_aside',
          slip: null,
          message: { tone: 'info', title: tRef.current('parkedDone', { number: parked.number }) },
        });
        return parked;
      }),
    /** 取单: a parked sale taken up at this till. */
    resumeSale: (saleId: string) =>
      run(async () => {
        const sale = await mutate<SaleView>('POST', `/api/sales/${saleId}/resume`, {}, tillId);
        showSale(sale);
        dispatch({ type: 'taken_up', message: null });
        return sale;
      }),
  };
}

export type TillApi = ReturnType<typeof useTill>;
