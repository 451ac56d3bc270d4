/** The till's state and the operations on it; screens and actions only call these. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, get, mutate, OfflineError, replayOutbox } from '../api/client';
import type { Discount, SaleView } from '../api/types';
import type { Translate } from '../i18n';

export type Dialog =
  | { kind: 'cash'; payKey: string }
  | { kind: 'discount'; lineId: string | null }
  | { kind: 'void' }
  | null;

export interface Message {
  tone: 'error' | 'info';
  title: string;
  detail?: string;
}

export interface TillState {
  sale: SaleView | null;
  busy: boolean;
  message: Message | null;
  dialog: Dialog;
}

const saleKey = (tillId: string) => `tillsafe.sale.${tillId}`;

function isSale(value: unknown): value is SaleView {
  return (
    typeof value === 'object' && value !== null && 'number' in value && 'lines' in value && 'status' in value
  );
}

export function useTill(storeId: string, tillId: string, t: Translate) {
  const [state, setState] = useState<TillState>({ sale: null, busy: false, message: null, dialog: null });
  const busyRef = useRef(false);

  const patch = useCallback((p: Partial<TillState>) => setState((s) => ({ ...s, ...p })), []);

  const showSale = useCallback(
    (sale: SaleView) => {
      localStorage.setItem(saleKey(tillId), sale.id);
      patch({ sale });
    },
    [tillId, patch],
  );

  /** Runs one request at a time; a second click while one is under way does nothing. */
  const run = useCallback(
    async <T>(work: () => Promise<T>): Promise<T | undefined> => {
      if (busyRef.current) return undefined;
      busyRef.current = true;
      patch({ busy: true, message: null });
      try {
        return await work();
      } catch (error) {
        if (error instanceof ApiError)
          patch({ message: { tone: 'error', title: error.problem.title, detail: error.problem.detail } });
        else if (error instanceof OfflineError) patch({ message: { tone: 'error', title: t('offline') } });
        else patch({ message: { tone: 'error', title: String(error) } });
        return undefined;
      } finally {
        busyRef.current = false;
        patch({ busy: false });
      }
    },
    [patch, t],
  );

  // The start-up replay runs once per till, not again when the language changes: it reads the
  // current translator through a ref.
  const tRef = useRef(t);
  tRef.current = t;

  // On start: finish what a reload interrupted, then show this till's current sale.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const answers = await replayOutbox(tillId);
      const lastSale = answers.filter(isSale).at(-1);
      const id = lastSale?.id ?? localStorage.getItem(saleKey(tillId));
      if (!id || cancelled) {
        patch({ sale: null });
        return;
      }
      try {
        const sale = await get<SaleView>(`/api/sales/${id}`);
        if (cancelled) return;
        if (sale.storeId !== storeId) patch({ sale: null });
        else
          patch({
            sale,
            ...(answers.length > 0
              ? { message: { tone: 'info', title: tRef.current('pendingReplayed', { n: answers.length }) } }
              : {}),
          });
      } catch {
        if (!cancelled) patch({ sale: null });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [storeId, tillId, patch]);

  const openSaleIfNeeded = useCallback(async (): Promise<SaleView> => {
    if (state.sale && state.sale.status === 'open') return state.sale;
    const sale = await mutate<SaleView>('POST', `/api/stores/${storeId}/sales`, { tillId }, tillId);
    showSale(sale);
    return sale;
  }, [state.sale, storeId, tillId, showSale]);

  const onSale = useCallback(
    (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', suffix: string, body: unknown, key?: string) =>
      run(async () => {
        const sale = await openSaleIfNeeded();
        const updated = await mutate<SaleView>(method, `/api/sales/${sale.id}${suffix}`, body, tillId, key);
        showSale(updated);
        return updated;
      }),
    [run, openSaleIfNeeded, tillId, showSale],
  );

  return {
    state,
    patch,
    scan: (barcode: string) => onSale('POST', '/lines', { barcode, qty: 1 }),
    addVariant: (variantId: string) => onSale('POST', '/lines', { variantId, qty: 1 }),
    setQty: (lineId: string, qty: number) => onSale('PATCH', `/lines/${lineId}`, { qty }),
    removeLine: (lineId: string) => onSale('DELETE', `/lines/${lineId}`, undefined),
    setDiscount: (lineId: string | null, discount: Discount | null) =>
      lineId ? onSale('PATCH', `/lines/${lineId}`, { discount }) : onSale('PUT', '/discount', { discount }),
    voidSale: (reason: string) => onSale('POST', '/void', { reason }),
    /** The key was made when the dialog opened: a double click or a retry sends the same payment. */
    payCash: (tenderedFen: number, payKey: string) =>
      onSale('POST', '/payments/cash', { tenderedFen }, payKey),
    newSale: () => {
      localStorage.removeItem(saleKey(tillId));
      patch({ sale: null, dialog: null, message: null });
    },
  };
}

export type TillApi = ReturnType<typeof useTill>;
