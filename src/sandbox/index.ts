/** The sandbox providers: a card terminal (nexo JSON), WeChat Pay and Alipay, emulated on the loopback with ledgers of their own. Only start-up and tests import it. Its only door. */
export { AlipayEmulator, sandboxAlipayKeys } from './alipay';
export { CardTerminalEmulator } from './card-terminal';
export { WechatPayEmulator } from './wechat-pay';
