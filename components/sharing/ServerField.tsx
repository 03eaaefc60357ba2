import { useId } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';

declare const __VARDE_DEFAULT_SERVER__: string | undefined;

/**
 * The sharing server this build uses unless the person chooses another: `VARDE_DEFAULT_SERVER`
 * when the extension was built (wxt.config.ts), the development server otherwise. People never
 * have to type it (docs/architecture.md, "Sharing in plain words").
 */
export const DEFAULT_SERVER: string =
  typeof __VARDE_DEFAULT_SERVER__ === 'string' && __VARDE_DEFAULT_SERVER__
    ? __VARDE_DEFAULT_SERVER__
    : 'http://localhost:1234';

/** The server as a person reads it: its host, without the scheme. */
export function serverLabel(server: string): string {
  return server.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

/**
 * The one way to choose another sharing server, in sharing and in joining: folded away under
 * "Use another sharing server", for the person whose clinic gave them an address. Empty means
 * the default.
 */
export function ServerField({
  value,
  onChange,
  hint,
}: {
  value: string;
  onChange: (value: string) => void;
  /** Message key of the sentence under the field. */
  hint: string;
}) {
  const { t } = useI18n();
  const hintId = useId();
  return (
    <details className="sharing-advanced" open={value !== '' ? true : undefined}>
      <summary>{t('sharing.otherServer')}</summary>
      <label>
        {t('sharing.serverAddress')}
        <input
          type="url"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder={DEFAULT_SERVER}
          aria-describedby={hintId}
          autoComplete="url"
          inputMode="url"
          spellCheck={false}
        />
      </label>
      <p id={hintId} className="sharing-hint">
        {t(hint, { server: serverLabel(DEFAULT_SERVER) })}
      </p>
    </details>
  );
}
