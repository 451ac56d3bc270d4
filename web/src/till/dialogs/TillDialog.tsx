/**
 * The dialog open at the till, drawn from one table of kind → dialog: what each one shows and what
 * its buttons do. Dialogs open only through the actions registry (`OPEN` in ../actions.ts).
 */
import type { ReactNode } from 'react';
import type { Dialog } from '../till-state';
import type { TillApi } from '../use-till';
import { ApprovalDialog } from './ApprovalDialog';
import { CardDialog } from './CardDialog';
import { CashDialog } from './CashDialog';
import { DiscountDialog } from './DiscountDialog';
import { ParkedDialog } from './ParkedDialog';
import { SlipDialog } from './SlipDialog';
import { VoidDialog } from './VoidDialog';
import { WalletDialog } from './WalletDialog';

interface Props<K extends Dialog['kind']> {
  dialog: Extract<Dialog, { kind: K }>;
  till: TillApi;
  storeId: string;
}

/** Closes the dialog once the change it sent was taken (a refusal leaves it open, its reason shown). */
const closeIfDone = (till: TillApi) => (done: unknown) => done && till.closeDialog();

const DIALOGS: { [K in Dialog['kind']]: (p: Props<K>) => ReactNode } = {
  cash: ({ dialog, till }) => {
    const { sale, busy } = till.state;
    return (
      sale && (
        <CashDialog
          sale={sale}
          busy={busy}
          onClose={till.closeDialog}
          onPay={(fen, partFen) => void till.payCash(fen, dialog.payKey, partFen).then(closeIfDone(till))}
        />
      )
    );
  },
  card: ({ dialog, till }) => {
    const { sale, busy } = till.state;
    return (
      sale && (
        <CardDialog
          sale={sale}
          busy={busy}
          onClose={till.closeDialog}
          onPay={(fen) => void till.payCard(fen, dialog.payKey)}
        />
      )
    );
  },
  wallet: ({ dialog, till }) => {
    const { sale, busy } = till.state;
    return (
      sale && (
        <WalletDialog
          sale={sale}
          busy={busy}
          {...(dialog.amountFen ? { amountFen: dialog.amountFen } : {})}
          onClose={till.closeDialog}
          onPay={(fen, code) => void till.payWallet(fen, code, dialog.payKey)}
        />
      )
    );
  },
  slip: ({ dialog, till }) => (
    <SlipDialog
      busy={till.state.busy}
      defaultReason={till.state.attempt?.guidance?.tellCustomer ?? ''}
      onClose={till.closeDialog}
      onIssue={(input) => void till.issueSlip(input, dialog.key)}
    />
  ),
  parked: ({ till, storeId }) => (
    <ParkedDialog
      storeId={storeId}
      busy={till.state.busy}
      onClose={till.closeDialog}
      onResume={(saleId) => void till.resumeSale(saleId)}
    />
  ),
  discount: ({ dialog, till }) => {
    const sale = till.state.sale;
    if (!sale) return null;
    const line = dialog.lineId ? sale.lines.find((l) => l.id === dialog.lineId) : undefined;
    return (
      <DiscountDialog
        current={line ? line.discount : sale.saleDiscount}
        onClose={till.closeDialog}
        onApply={(d) => void till.setDiscount(dialog.lineId, d).then(closeIfDone(till))}
      />
    );
  },
  approval: ({ dialog, till, storeId }) => (
    <ApprovalDialog
      storeId={storeId}
      saleId={till.state.sale?.id ?? null}
      action={dialog.action}
      minRole={dialog.minRole}
      reason={dialog.reason}
      onClose={till.closeDialog}
      onGranted={(approvalId) => void till.retryApproved(approvalId)}
    />
  ),
  void: ({ till }) => (
    <VoidDialog
      afterPayment={till.state.sale?.status === 'completed'}
      onClose={till.closeDialog}
      onVoid={(reason) => void till.voidSale(reason).then(closeIfDone(till))}
    />
  ),
};

export function TillDialog({ dialog, ...rest }: Omit<Props<Dialog['kind']>, 'dialog'> & { dialog: Dialog }) {
  const draw = DIALOGS[dialog.kind] as (p: Props<Dialog['kind']>) => ReactNode;
  return <>{draw({ dialog, ...rest })}</>;
}
