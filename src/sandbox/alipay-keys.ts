/** The sandbox's RSA keys: the app's and Alipay's pairs, and a stranger's key for forged answers. */
import { generateKeyPairSync } from 'node:crypto';

export interface AlipayKeys {
  /** The app's key pair (the merchant signs with the private key; Alipay verifies with the public). */
  appPrivateKey: string;
  appPublicKey: string;
  /** Alipay's key pair (the gateway signs; the merchant verifies with the public key). */
  alipayPrivateKey: string;
  alipayPublicKey: string;
}

let cachedKeys: AlipayKeys | null = null;

/** Fresh RSA-2048 key pairs for the sandbox, made once per process (each takes a moment). */
export function sandboxAlipayKeys(): AlipayKeys {
  if (cachedKeys) return cachedKeys;
  const pair = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  const app = pair();
  const alipay = pair();
  cachedKeys = {
    appPrivateKey: app.privateKey,
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipay.privateKey,
    alipayPublicKey: alipay.publicKey,
  };
  return cachedKeys;
}

let otherKey: string | null = null;
/** A key that is not Alipay's: what a forged or broken gateway would sign with. */
export function sandboxOtherKey(): string {
  otherKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  return otherKey;
}
