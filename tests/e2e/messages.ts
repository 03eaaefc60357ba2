import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The app's own words for one language, `ns.key` → text, read from locales/, so a test drives
 * each language by the words a person of that language sees. `{name}`-style placeholders are
 * filled with `vars`. Throws on a key the language lacks.
 */
export function messages(lang: string): (key: string, vars?: Record<string, string>) => string {
  const dir = path.join(import.meta.dirname, '../../locales', lang);
  const all: Record<string, string> = {};
  for (const file of readdirSync(dir)) {
    const ns = file.replace(/\.json$/, '');
    const json = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, string>;
    for (const [k, v] of Object.entries(json)) all[`${ns}.${k}`] = v;
  }
  return (key, vars = {}) => {
    const text = all[key];
    if (text === undefined) throw new Error(`no ${key} in ${lang}`);
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
  };
}

/** The browser locales the tests run the three languages in. */
export const LANGUAGES = [
  ['en-GB', 'en'],
  ['nb-NO', 'nb'],
  ['sv-SE', 'sv'],
] as const;
