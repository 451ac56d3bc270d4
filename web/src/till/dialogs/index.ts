/** The till's dialogs, one file each; the till opens them through its actions registry. */
export { ApprovalDialog } from './ApprovalDialog';
export { CardDialog } from './CardDialog';
export { CashDialog } from './CashDialog';
export { DiscountDialog } from './DiscountDialog';
export { ParkedDialog } from './ParkedDialog';
export { SlipDialog } from './SlipDialog';
export { TillDialog } from './TillDialog';
export { VoidDialog } from './VoidDialog';
export { WalletDialog } from './WalletDialog';
