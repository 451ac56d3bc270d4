/**
 * The failure taxonomy (decision 14): every provider code maps to a category; each category tells
 * the cashier, in zh-CN and en, what to say to the customer and what to do, how often the same
 * card or code may be tried again, and which other tenders to offer in one action. Pure data.
 */
import type { Lang } from '../kernel';

import { FAILURE_CATEGORIES, type FailureCategory } from '../shared';

export { FAILURE_CATEGORIES, type FailureCategory };

/** What one answer means for the money: only `paid` completes anything; `unknown` is queried. */
export type AnswerOutcome = 'paid' | 'failed' | 'unknown';

/**
 * May the cashier try the same card (or code) again? Never automatically — the cashier decides —
 * and within these bounds: `never` (retain card, do not honour: another try only annoys the
 * issuer), `once` (a misread), `pin_limit` (a wrong PIN: at most WRONG_PIN_LIMIT tries in all, so
 * we never lock the customer's card), `after_sign_in` (the terminal must sign in to its host first).
 */
export type RetryPolicy = 'never' | 'once' | 'pin_limit' | 'after_sign_in';
export const WRONG_PIN_LIMIT = 2;

export type Alternative = 'insert_or_tap' | 'another_card' | 'alipay' | 'wechat' | 'cash' | 'split';

export interface Text {
  en: string;
  zh: string;
}

export interface CategoryGuidance {
  tellCustomer: Text;
  doNext: Text;
  retry: RetryPolicy;
  alternatives: readonly Alternative[];
  /** Where the words differ for a QR wallet (no card, no bank at the till, the customer's phone). */
  wallet?: { tellCustomer: Text; doNext: Text };
}

const WALLETS_AND_CASH: readonly Alternative[] = ['another_card', 'alipay', 'wechat', 'cash'];

export const CATEGORY_GUIDANCE: Readonly<Record<FailureCategory, CategoryGuidance>> = {
  insufficient_funds: {
    tellCustomer: {
      en: 'The bank says there is not enough money on this card.',
      zh: '银行提示此卡余额不足。',
    },
    doNext: {
      en: 'Offer another card, Alipay, WeChat Pay or cash. Do not retry this card.',
      zh: '请换卡、支付宝、微信或现金支付，不要重试此卡。',
    },
    retry: 'never',
    alternatives: [...WALLETS_AND_CASH, 'split'],
    wallet: {
      tellCustomer: {
        en: 'The wallet says there is not enough balance for this payment.',
        zh: '钱包提示余额不足。',
      },
      doNext: {
        en: 'Offer the other wallet, a bank card or cash; the customer may also switch the wallet’s payment method and show a new code.',
        zh: '请改用另一钱包、银行卡或现金；顾客也可在钱包中更换付款方式后出示新的付款码。',
      },
    },
  },
  card_unreadable: {
    tellCustomer: { en: 'The card could not be read.', zh: '卡片无法读取。' },
    doNext: {
      en: 'Try once more: insert the chip (or tap) instead of swiping. If it fails again, offer another way to pay.',
      zh: '请再试一次：改为插卡（或挥卡），不要刷磁条。再失败请换其他支付方式。',
    },
    retry: 'once',
    alternatives: ['insert_or_tap', ...WALLETS_AND_CASH],
  },
  wrong_pin: {
    tellCustomer: { en: 'The PIN was not accepted.', zh: '密码不正确。' },
    doNext: {
      en: 'The customer may enter the PIN once more. After a second wrong PIN, do not try again: the bank would block the card. Offer another way to pay.',
      zh: '可请顾客再输入一次密码。第二次仍错误则不要再试（银行会锁卡），请换其他支付方式。',
    },
    retry: 'pin_limit',
    alternatives: WALLETS_AND_CASH,
  },
  expired: {
    tellCustomer: { en: 'This card has expired.', zh: '此卡已过期。' },
    doNext: { en: 'Offer another card, Alipay, WeChat Pay or cash.', zh: '请换卡、支付宝、微信或现金支付。' },
    retry: 'never',
    alternatives: WALLETS_AND_CASH,
  },
  restricted: {
    tellCustomer: {
      en: 'The bank does not allow this payment on this card (limit or card type).',
      zh: '银行不允许此卡进行该笔交易（限额或卡种限制）。',
    },
    doNext: {
      en: 'Offer another card, a QR wallet or cash; a smaller amount on this card plus the rest another way may work.',
      zh: '请换卡、扫码或现金支付；也可此卡付一部分，其余换其他方式。',
    },
    retry: 'never',
    alternatives: [...WALLETS_AND_CASH, 'split'],
    wallet: {
      tellCustomer: {
        en: 'The wallet does not allow this payment (the customer’s limit or settings).',
        zh: '钱包不允许此笔支付（顾客的限额或设置）。',
      },
      doNext: {
        en: 'Offer the other wallet, a bank card or cash; a smaller amount by wallet plus the rest another way may work.',
        zh: '请改用另一钱包、银行卡或现金；也可钱包付一部分，其余换其他方式。',
      },
    },
  },
  issuer_unavailable: {
    tellCustomer: {
      en: 'The bank did not answer in time. We are checking whether the payment went through.',
      zh: '银行未及时响应，正在确认这笔支付是否成功。',
    },
    doNext: {
      en: 'Wait: TillSafe is checking with the bank and will say “paid” or “not charged”. Do not charge again meanwhile.',
      zh: '请稍候：系统正在向银行确认，会提示“已支付”或“未扣款”。确认前不要再次收款。',
    },
    retry: 'never',
    alternatives: ['alipay', 'wechat', 'cash'],
    wallet: {
      tellCustomer: {
        en: 'The wallet did not answer in time. We are checking whether the payment went through.',
        zh: '钱包未及时响应，正在确认这笔支付是否成功。',
      },
      doNext: {
        en: 'Wait: TillSafe is checking with the wallet and will say “paid” or “not charged”. Do not charge again meanwhile.',
        zh: '请稍候：系统正在向钱包确认，会提示“已支付”或“未扣款”。确认前不要再次收款。',
      },
    },
  },
  network: {
    tellCustomer: {
      en: 'The connection dropped. We are checking whether the payment went through.',
      zh: '网络中断，正在确认这笔支付是否成功。',
    },
    doNext: {
      en: 'Wait for the check to finish; TillSafe will not let the card be charged twice.',
      zh: '请等待确认完成；系统不会让同一笔重复扣款。',
    },
    retry: 'never',
    alternatives: ['alipay', 'wechat', 'cash'],
    wallet: {
      tellCustomer: {
        en: 'The connection dropped. We are checking whether the payment went through.',
        zh: '网络中断，正在确认这笔支付是否成功。',
      },
      doNext: {
        en: 'Wait for the check to finish; TillSafe will not let the wallet be charged twice.',
        zh: '请等待确认完成；系统不会让钱包重复扣款。',
      },
    },
  },
  terminal_fault: {
    tellCustomer: {
      en: 'The card terminal has a problem; the card was not charged.',
      zh: '刷卡终端故障，此卡未被扣款。',
    },
    doNext: {
      en: 'Let the terminal sign in again (or restart it), then retry; meanwhile offer a QR wallet or cash. Tell the manager if it repeats.',
      zh: '请让终端重新签到（或重启）后再试；期间可用扫码或现金支付。如反复出现请告知店长。',
    },
    retry: 'after_sign_in',
    alternatives: ['alipay', 'wechat', 'cash'],
  },
  customer_cancelled: {
    tellCustomer: { en: 'The payment was cancelled.', zh: '支付已取消。' },
    doNext: { en: 'Ask how the customer would like to pay.', zh: '请询问顾客希望如何支付。' },
    retry: 'once',
    alternatives: WALLETS_AND_CASH,
  },
  risk_declined: {
    tellCustomer: {
      en: 'The bank declined this card. The customer may call the bank.',
      zh: '银行拒绝了此卡交易，顾客可联系发卡行。',
    },
    doNext: {
      en: 'Do not retry this card. Offer another card, a QR wallet or cash, politely.',
      zh: '不要重试此卡。请礼貌地建议换卡、扫码或现金支付。',
    },
    retry: 'never',
    alternatives: WALLETS_AND_CASH,
    wallet: {
      tellCustomer: {
        en: 'The wallet declined this payment. The customer may check the app.',
        zh: '钱包拒绝了此笔支付，顾客可在 App 中查看原因。',
      },
      doNext: {
        en: 'Do not scan this code again. Offer the other wallet, a bank card or cash, politely.',
        zh: '不要再次扫此付款码。请礼貌地建议改用另一钱包、银行卡或现金。',
      },
    },
  },
  wallet_code_invalid: {
    tellCustomer: {
      en: 'The payment code has expired or is not valid.',
      zh: '付款码已过期或无效。',
    },
    doNext: {
      en: 'Ask the customer to refresh the code in the app, then scan again.',
      zh: '请顾客在 App 中刷新付款码后重新扫码。',
    },
    retry: 'once',
    alternatives: ['another_card', 'cash'],
  },
  merchant_setup: {
    tellCustomer: {
      en: 'Sorry, this payment method is not working at our till right now.',
      zh: '抱歉，本收银台暂时无法使用此支付方式。',
    },
    doNext: {
      en: 'Take another card or cash. Tell the manager: the wallet refused the store’s request (set-up or system fault).',
      zh: '请改用银行卡或现金。并告知店长：支付机构拒绝了本店的请求（配置或系统故障）。',
    },
    retry: 'never',
    alternatives: ['another_card', 'cash'],
  },
  customer_still_paying: {
    tellCustomer: {
      en: 'Waiting for the customer to confirm on the phone.',
      zh: '等待顾客在手机上确认支付。',
    },
    doNext: {
      en: 'Wait; TillSafe checks by itself and cancels if it takes too long.',
      zh: '请稍候；系统会自动查询，超时会自动撤销。',
    },
    retry: 'never',
    alternatives: ['cash'],
  },
  unknown: {
    tellCustomer: {
      en: 'We do not know yet whether the payment went through. We are checking.',
      zh: '暂时无法确定支付是否成功，正在确认。',
    },
    doNext: {
      en: 'Wait for the check: it ends “paid”, “not charged” or “reversed”. Never charge again before it ends.',
      zh: '请等待确认结果：“已支付”“未扣款”或“已冲正”。结果出来前不要再次收款。',
    },
    retry: 'never',
    alternatives: ['alipay', 'wechat', 'cash'],
  },
};

/** The words for a failure category at this tender: a wallet's where they differ from a card's. */
export function guidanceFor(
  category: FailureCategory,
  tender: 'cash' | 'card' | 'alipay' | 'wechat',
): { tellCustomer: Text; doNext: Text; alternatives: readonly Alternative[] } {
  const g = CATEGORY_GUIDANCE[category];
  const words = tender === 'alipay' || tender === 'wechat' ? (g.wallet ?? g) : g;
  return { tellCustomer: words.tellCustomer, doNext: words.doNext, alternatives: g.alternatives };
}

/**
 * A refund that did not go through says so: the money is still the customer's due and a manager
 * settles it at the payment review desk — never a payment's "this card was not charged".
 */
/**
 * After a wrong PIN the words follow the server's verdict on this sale's tries (`mayTryCardAgain`):
 * one more try, or none — the till never says "once more" when the bank would block the card.
 */
export const WRONG_PIN_NEXT: { again: Text; spent: Text } = {
  again: {
    en: 'The customer may enter the PIN once more. After a second wrong PIN, do not try again: the bank would block the card. Offer another way to pay.',
    zh: '可请顾客再输入一次密码。第二次仍错误则不要再试（银行会锁卡），请换其他支付方式。',
  },
  spent: {
    en: 'No more PIN tries with this card: a further wrong PIN would have the bank block it. Offer another card, Alipay, WeChat Pay or cash.',
    zh: '此卡不能再输入密码（再错银行会锁卡）。请换一张卡，或用支付宝、微信、现金支付。',
  },
};

export const REFUND_NOT_GIVEN: { tellCustomer: Text; doNext: Text; alternatives: readonly Alternative[] } = {
  tellCustomer: {
    en: 'The refund has not gone back to your card or wallet yet. The store will make sure you get it and will tell you.',
    zh: '退款尚未退回您的银行卡或钱包。门店会确保退还给您，并通知您。',
  },
  doNext: {
    en: 'Nothing more to do at the till: the refund waits on the payment review desk (支付核查) for a manager. Note the customer’s phone.',
    zh: '收银台无需再操作：该退款已进入“支付核查”等待经理处理。请记下顾客电话。',
  },
  alternatives: [],
};

export function guidanceText(text: Text, lang: Lang): string {
  return lang === 'zh-CN' ? text.zh : text.en;
}

/** May the same card be tried again, given how many times this sale already met this category? */
export function maySameCardRetry(
  retry: RetryPolicy,
  earlierFailuresOfThisKind: number,
  terminalSignedIn: boolean,
): boolean {
  switch (retry) {
    case 'never':
      return false;
    case 'once':
      return earlierFailuresOfThisKind === 0;
    case 'pin_limit':
      return earlierFailuresOfThisKind + 1 < WRONG_PIN_LIMIT;
    case 'after_sign_in':
      return terminalSignedIn;
  }
}
