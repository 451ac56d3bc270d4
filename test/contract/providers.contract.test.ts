/** Every tender adapter through the one contract suite. */
import { systemClock } from '../../src/kernel';
import { AlipayProvider } from '../../src/payments/providers/alipay';
import { CardTerminalProvider } from '../../src/payments/providers/card-terminal';
import { CashProvider } from '../../src/payments/providers/cash';
import { FakeProvider } from '../../src/payments/providers/fake';
import { WechatPayProvider } from '../../src/payments/providers/wechat-pay';
import { AlipayEmulator, type AlipayFault, sandboxAlipayKeys } from '../../src/sandbox/alipay';
import { CardTerminalEmulator, type TerminalFault } from '../../src/sandbox/card-terminal';
import { type WechatFault, WechatPayEmulator } from '../../src/sandbox/wechat-pay';
import { noticeInbox } from '../support/notice-inbox';
import {
  type ContractFault,
  describeProviderContract,
  type FaultCoverage,
  type ScriptedFault,
} from './provider-contract';

const SANDBOX_KEY = 'sandboxsandboxsandboxsandbox0001'; // 32 characters, as WeChat's API keys

const EVERY: FaultCoverage = {
  decline_insufficient_funds: true,
  lose_answer_after_money: true,
  lose_answer_before_money: true,
  in_progress: true,
  offline: true,
  answer_later: true,
  refund_resent: true,
};
const NO_CASH_FAULT = 'cash changes hands at the till: no provider to decline, lose, delay or be offline';
const NO_TERMINAL = 'a wallet has no terminal of ours to be offline: its gateway down is a lost answer';

describeProviderContract(
  'cash',
  {
    decline_insufficient_funds: NO_CASH_FAULT,
    lose_answer_after_money: NO_CASH_FAULT,
    lose_answer_before_money: NO_CASH_FAULT,
    in_progress: NO_CASH_FAULT,
    offline: NO_CASH_FAULT,
    answer_later: NO_CASH_FAULT,
    refund_resent: NO_CASH_FAULT,
  },
  async () => {
    const provider = new CashProvider();
    return {
      provider,
      tillId: 'till_1',
      faults: [],
      script: async () => undefined,
      moneyMoved: async (o) => provider.moneyMoved(o),
      close: async () => undefined,
    };
  },
);

describeProviderContract('fake', EVERY, async () => {
  const provider = new FakeProvider('card');
  return {
    provider,
    tillId: 'till_1',
    script: async (fault) =>
      provider.script([
        fault === 'decline_insufficient_funds'
          ? { kind: 'decline', category: 'insufficient_funds', code: '51' }
          : fault === 'in_progress'
            ? { kind: 'in_progress', queries: 1 }
            : fault === 'offline'
              ? { kind: 'offline', requests: 1 }
              : { kind: fault },
      ]),
    moneyMoved: async (o) => provider.moneyMoved(o),
    notices: async () => provider.takeNotices(),
    close: async () => undefined,
  };
});

describeProviderContract(
  'card terminal (nexo over HTTP, sandbox terminal)',
  {
    ...EVERY,
    refund_resent:
      'a card refund whose answer is lost is asked about (TransactionStatusRequest), never sent again: the acquirer would take a second one as new (docs/providers.md)',
  },
  async () => {
    const terminal = new CardTerminalEmulator({ poiId: 'POI-T1' });
    const url = await terminal.listen();
    const inbox = await noticeInbox();
    terminal.notifyTo(inbox.url);
    const provider = new CardTerminalProvider(
      { url, poiId: 'POI-T1', paymentTimeoutMs: 2_000, requestTimeoutMs: 1_000 },
      systemClock,
    );
    const faults: Record<ScriptedFault, TerminalFault> = {
      decline_insufficient_funds: { kind: 'decline', code: '51' },
      lose_answer_after_money: { kind: 'lose_answer_after_money' },
      lose_answer_before_money: { kind: 'lose_answer_before_money' },
      in_progress: { kind: 'in_progress', queries: 1, outcome: 'approve' },
      offline: { kind: 'offline', requests: 1 },
      answer_later: { kind: 'answer_later', ms: 10 },
    };
    return {
      provider,
      tillId: 'till_sh01_1',
      script: async (fault) => terminal.script([faults[fault]]),
      moneyMoved: async (o) => terminal.moneyMoved(o),
      notices: async () => {
        await terminal.notificationsDelivered();
        return inbox.all();
      },
      close: async () => {
        await terminal.close();
        await inbox.close();
      },
    };
  },
);

describeProviderContract(
  'WeChat Pay (API v2 signed XML over HTTP, sandbox WeChat Pay)',
  {
    ...EVERY,
    offline: NO_TERMINAL,
    answer_later: 'WeChat Pay sends no notice for a barcode payment: only a query tells (docs/providers.md)',
  },
  async () => {
    const wechat = new WechatPayEmulator({
      appId: 'wxsandbox0001',
      mchId: '1900000109',
      apiKey: SANDBOX_KEY,
    });
    const gateway = await wechat.listen();
    const provider = new WechatPayProvider({
      gateway,
      appId: 'wxsandbox0001',
      mchId: '1900000109',
      apiKey: SANDBOX_KEY,
      signType: 'HMAC-SHA256',
      clientIp: '127.0.0.1',
      payTimeoutMs: 2_000,
      requestTimeoutMs: 1_000,
    });
    const faults: Partial<Record<ContractFault, WechatFault>> = {
      decline_insufficient_funds: { kind: 'decline', errCode: 'NOTENOUGH' },
      lose_answer_after_money: { kind: 'lose_answer_after_money' },
      lose_answer_before_money: { kind: 'lose_answer_before_money' },
      in_progress: { kind: 'user_paying', queries: 1 },
    };
    let codes = 0;
    return {
      provider,
      tillId: 'till_sh01_1',
      script: async (fault) => wechat.script(faults[fault] ? [faults[fault]] : []),
      moneyMoved: async (o) => wechat.moneyMoved(o),
      paymentCode: () => `134${String(++codes).padStart(15, '0')}`,
      close: () => wechat.close(),
    };
  },
);

describeProviderContract(
  'Alipay (OpenAPI RSA2 through the official SDK, sandbox Alipay gateway)',
  { ...EVERY, offline: NO_TERMINAL },
  async () => {
    const keys = sandboxAlipayKeys();
    const alipay = new AlipayEmulator({ appId: '2021000000000001', keys });
    await alipay.listen();
    const inbox = await noticeInbox();
    const provider = new AlipayProvider({
      gateway: alipay.gateway,
      appId: '2021000000000001',
      privateKey: keys.appPrivateKey,
      alipayPublicKey: keys.alipayPublicKey,
      timeoutMs: 2_000,
      notifyUrlFor: () => inbox.url,
    });
    const faults: Partial<Record<ContractFault, AlipayFault>> = {
      decline_insufficient_funds: { kind: 'decline', subCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' },
      lose_answer_after_money: { kind: 'lose_answer_after_money' },
      lose_answer_before_money: { kind: 'lose_answer_before_money' },
      in_progress: { kind: 'wait_buyer', queries: 1 },
      // The answer is lost; Alipay's notification of the payment still comes.
      answer_later: { kind: 'lose_answer_after_money' },
    };
    let codes = 0;
    return {
      provider,
      tillId: 'till_sh01_1',
      script: async (fault) => alipay.script(faults[fault] ? [faults[fault]] : []),
      moneyMoved: async (o) => alipay.moneyMoved(o),
      paymentCode: () => `28${String(++codes).padStart(16, '0')}`,
      notices: async () => {
        await alipay.notificationsDelivered();
        return inbox.all().map((n) => n as Record<string, string>);
      },
      close: async () => {
        await alipay.close();
        await inbox.close();
      },
    };
  },
);
