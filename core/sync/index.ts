/** core/sync: opening a plan's docs on a device, keeping pages in step, the plan registry. */
export * from './broadcast.ts';
export * from './store.ts';
export * from './local.ts';
export * from './session.ts';
export * from './registry.ts';
export * from './actions.ts';
export * from './exchange.ts';
export * from './plans.ts';
export * from './api.ts';
export * from './errors.ts';
export * from './url.ts';
export * from './status.ts';
export * from './reader.ts';
