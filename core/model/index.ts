/** core/model: the Yjs schema of DESIGN.md as typed read models, commands and validation. */
export * from './schema.ts';
export * from './types.ts';
export * from './ids.ts';
export * from './order.ts';
export * from './origins.ts';
export * from './errors.ts';
export * from './read.ts';
export * from './goals.ts';
export * from './plan.ts';
export * from './notes.ts';
export * from './richtext.ts';
export * from './migrate.ts';
export { toBase64, fromBase64, toBase64Url } from './base64.ts';
export { crc32 } from './checksum.ts';
