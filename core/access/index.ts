/** core/access: scopes, levels, role presets, display names, and the wire names shared with sync-server/. */
export * from './levels.ts';
export * from './errors.ts';
export * from './wire.ts';
export * from './names.ts';
export * from './help-lines.ts';
