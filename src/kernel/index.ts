export * from './business-day';
export * from './card-data';
export * from './clock';
export * from './errors';
export * from './i18n';
export * from './ids';
export * from './money';
export * from './state-machine';
