import { LOCALES, type Locale } from '../../core/sync/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { useRegistry } from '../../hooks/registry.tsx';

/** Names of the languages in themselves, so a person can find their own. */
const NATIVE_NAMES: Record<Locale, string> = { en: 'English', nb: 'Norsk (bokmål)', sv: 'Svenska' };

export function LanguageSwitcher() {
  const { t, locale } = useI18n();
  const state = useRegistry();
  if (state.status !== 'ready') return null;
  return (
    <label className="language">
      {t('app.language')}
      <select value={locale} onChange={(e) => state.actions.setLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NATIVE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
