export { DEFAULT_SCRYPT_COST, hashSecret, needsRehash, type ScryptCost, verifySecret } from './credentials';
export * from './model';
